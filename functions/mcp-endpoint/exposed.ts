// What an MCP endpoint shows its caller: the tools, prompts, resources and resource templates of
// the servers the caller may use, renamed for /mcp (names.ts), each pointing back to its server.
import {
  PromptSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { IsolateCache } from "../cache.ts";
import type { ProxyError } from "../errors.ts";
import { type Listing, listingCache } from "../listings/listing-cache.ts";
import type { RequestScope } from "../routes/context.ts";
import { splitSupported } from "../tools/support.ts";
import { toolsOfAll } from "../tools/tool-lists.ts";
import { pairKey, prefixedNames, prefixedUri, type Target } from "./names.ts";

/** The servers an endpoint serves: /mcp all the caller's enabled ones, /{server}/mcp one, named as it names them. */
export interface Endpoint {
  servers: WorkerServer[];
  prefixed: boolean;
}

export interface Exposed<Item> {
  items: Item[];
  /** The caller's name (or URI) → the server's. */
  targets: Map<string, Target>;
  /** Servers whose list could not be read right now: left out, with why. */
  failures: { server: string; error: ProxyError }[];
}

const prompts = listingCache<Prompt>({ method: "prompts/list", field: "prompts", item: PromptSchema, noun: "prompts", optional: true });
const resources = listingCache<Resource>({ method: "resources/list", field: "resources", item: ResourceSchema, noun: "resources", optional: true });
const templates = listingCache<ResourceTemplate>({
  method: "resources/templates/list",
  field: "resourceTemplates",
  item: ResourceTemplateSchema,
  noun: "resource templates",
  optional: true,
});

/**
 * The tools named for the last few server sets, kept while every listing is the very object the
 * listing cache still holds: naming every tool on every call cost 0.1 ms per call.
 */
const namedTools = new IsolateCache<string, { listings: Listing<Tool>[]; exposed: Exposed<Tool> }>(1_000);

export async function exposedTools(scope: RequestScope, endpoint: Endpoint): Promise<Exposed<Tool>> {
  const listings = await toolsOfAll(endpoint.servers, scope);
  const key = `${endpoint.prefixed}\n${endpoint.servers.map((server) => server.name).join("\n")}`;
  const current = endpoint.servers.map((server) => listings.get(server.name)!);
  const named = namedTools.get(key)?.value;
  if (named?.listings.every((listing, i) => listing === current[i])) return named.exposed;
  const exposed = byName(endpoint, listings, (tools) => splitSupported(tools).supported);
  namedTools.set(key, { listings: current, exposed });
  return exposed;
}

export async function exposedPrompts(scope: RequestScope, endpoint: Endpoint): Promise<Exposed<Prompt>> {
  return byName(endpoint, await prompts.ofAll(endpoint.servers, scope));
}

export async function exposedResources(scope: RequestScope, endpoint: Endpoint): Promise<Exposed<Resource>> {
  return byUri(endpoint, await resources.ofAll(endpoint.servers, scope), "uri");
}

export async function exposedTemplates(scope: RequestScope, endpoint: Endpoint): Promise<Exposed<ResourceTemplate>> {
  return byUri(endpoint, await templates.ofAll(endpoint.servers, scope), "uriTemplate");
}

/** Every list an endpoint shows, for change detection. */
export const LIST_KINDS = { tools: exposedTools, prompts: exposedPrompts, resources: exposedResources, resourceTemplates: exposedTemplates } as const;

export { prompts as promptLists, resources as resourceLists };

function byName<Item extends { name: string }>(endpoint: Endpoint, listings: Map<string, Listing<Item>>, keep = (items: Item[]) => items): Exposed<Item> {
  const { lists, failures } = split(endpoint, listings);
  const kept = lists.map(({ server, items }) => ({ server, items: keep(items) }));
  const pairs = kept.flatMap(({ server, items }) => items.map((item) => ({ server, name: item.name })));
  const names = endpoint.prefixed ? prefixedNames(pairs) : undefined;
  const exposed: Exposed<Item> = { items: [], targets: new Map(), failures };
  for (const { server, items } of kept) {
    for (const item of items) {
      const name = names ? names.get(pairKey(server, item.name))! : item.name;
      exposed.items.push(name === item.name ? item : { ...item, name });
      exposed.targets.set(name, { server, name: item.name });
    }
  }
  return exposed;
}

function byUri<Item extends { name: string }>(endpoint: Endpoint, listings: Map<string, Listing<Item>>, field: "uri" | "uriTemplate"): Exposed<Item> {
  const { lists, failures } = split(endpoint, listings);
  const exposed: Exposed<Item> = { items: [], targets: new Map(), failures };
  for (const { server, items } of lists) {
    for (const item of items) {
      const own = (item as Record<string, unknown>)[field] as string;
      const uri = endpoint.prefixed ? prefixedUri(server, own) : own;
      exposed.items.push(uri === own ? item : { ...item, [field]: uri });
      exposed.targets.set(uri, { server, name: own });
    }
  }
  return exposed;
}

function split<Item>(endpoint: Endpoint, listings: Map<string, Listing<Item>>) {
  const lists: { server: string; items: Item[] }[] = [];
  const failures: { server: string; error: ProxyError }[] = [];
  for (const server of endpoint.servers) {
    const listing = listings.get(server.name)!;
    if (listing.ok) lists.push({ server: server.name, items: listing.items });
    else failures.push({ server: server.name, error: listing.error });
  }
  return { lists, failures };
}
