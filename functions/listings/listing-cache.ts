// A server's list of one kind (tools, prompts, resources, resource templates), cached in the
// isolate and refreshed in the background once stale, so neither the spec, /mcp nor a call asks
// every server for its lists on every request.
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { CALL_OUTCOMES } from "../../schema/call-outcomes.ts";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { bridgeStatus, upstreamFor } from "../bridge.ts";
import { IsolateCache } from "../cache.ts";
import { countListingLookup } from "../metrics/proxy-metrics.ts";
import { type Env, settingsOf } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { rpcMessage } from "../mcp-client/messages.ts";
import { outcomeError } from "../mcp-client/outcomes.ts";
import { mcpRequest } from "../mcp-client/request.ts";

export type Listing<Item> =
  | { ok: true; items: Item[]; fetchedAt: number }
  /** `discovering`: a stdio server the bridge has not yet started once, so nothing is on record. */
  | { ok: false; error: ProxyError; fetchedAt: number; discovering: boolean };

export interface ListContext {
  env: Env;
  /** A listing made under another catalog version is not used (nor kept). */
  catalogVersion: string;
  waitUntil(promise: Promise<unknown>): void;
}

export interface ListKind<Item> {
  /** The MCP method, e.g. "tools/list". */
  method: string;
  /** The result's array, e.g. "tools". */
  field: string;
  /** Each item is parsed on its own: one malformed item is left out, not the whole server. */
  item: z.ZodType<Item>;
  /** Words for messages: "tools", "prompts". */
  noun: string;
  /** A server without the capability (MethodNotFound) has an empty list rather than a failure. */
  optional: boolean;
}

export interface ListingCache<Item> {
  of(server: WorkerServer, context: ListContext, options?: { refresh?: boolean }): Promise<Listing<Item>>;
  ofAll(servers: WorkerServer[], context: ListContext): Promise<Map<string, Listing<Item>>>;
}

const LIST_TIMEOUT_MS = 5_000;
const STATUS_TIMEOUT_MS = 1_000;
/** A failed listing is remembered this long, so a hung server slows one request, not all. */
const FAILURE_TTL_MS = 15_000;
/** A server still being discovered is asked again soon: its lists should not stay missing. */
const DISCOVERING_TTL_MS = CALL_OUTCOMES.discovering.retryAfterSeconds * 1_000;
const MAX_PAGES = 50;
/** Sized for far more servers than a catalog holds. */
const MAX_SERVERS = 2_000;

export function listingCache<Item>(kind: ListKind<Item>): ListingCache<Item> {
  const Page = z.looseObject({ [kind.field]: z.array(z.unknown()), nextCursor: z.string().optional() });
  /** Per server, for the catalog version it was listed under. */
  const listings = new IsolateCache<string, { catalogVersion: string; listing: Listing<Item> }>(MAX_SERVERS);
  /** Background refreshes under way, per server: their start is the entry's age (a plain value, never a promise: workerd). */
  const refreshing = new IsolateCache<string, true>(MAX_SERVERS);

  async function of(server: WorkerServer, context: ListContext, { refresh = false } = {}): Promise<Listing<Item>> {
    const entry = listings.get(server.name)?.value;
    const cached = entry?.catalogVersion === context.catalogVersion ? entry.listing : undefined;
    if (cached && !refresh) {
      const age = Date.now() - cached.fetchedAt;
      if (cached.ok) {
        const stale = age >= ttlMs(context.env);
        countListingLookup(kind.field, stale ? "stale" : "hit");
        if (stale) refreshInBackground(server, context);
        return cached;
      }
      if (age < (cached.discovering ? DISCOVERING_TTL_MS : FAILURE_TTL_MS)) {
        countListingLookup(kind.field, "hit");
        return cached;
      }
    }
    countListingLookup(kind.field, "miss");
    const fresh = await fetchListing(server, context);
    // A failed refresh keeps the last good list: a blip upstream must not empty the lists.
    if (!fresh.ok && cached?.ok) return cached;
    listings.set(server.name, { catalogVersion: context.catalogVersion, listing: fresh });
    return fresh;
  }

  async function ofAll(servers: WorkerServer[], context: ListContext): Promise<Map<string, Listing<Item>>> {
    const rows = await Promise.all(servers.map(async (server) => [server.name, await of(server, context)] as const));
    return new Map(rows);
  }

  /** Serves the stale list meanwhile; at most one refresh per server is under way. */
  function refreshInBackground(server: WorkerServer, context: ListContext): void {
    if (refreshing.fresh(server.name, LIST_TIMEOUT_MS)) return;
    refreshing.set(server.name, true);
    const refresh = fetchListing(server, context).then((fresh) => {
      if (fresh.ok) listings.set(server.name, { catalogVersion: context.catalogVersion, listing: fresh });
      refreshing.delete(server.name);
    });
    context.waitUntil(refresh);
  }

  async function fetchListing(server: WorkerServer, context: ListContext): Promise<Listing<Item>> {
    const upstream = upstreamFor(server, context.env);
    const items: Item[] = [];
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const options = { waitUntil: context.waitUntil, timeoutMs: LIST_TIMEOUT_MS };
        const result = await mcpRequest(upstream, kind.method, cursor ? { cursor } : {}, Page, options);
        items.push(...(result[kind.field] as unknown[]).flatMap((item) => kind.item.safeParse(item).data ?? []));
        cursor = (result.nextCursor as string | undefined) || undefined;
        if (!cursor) break;
      }
      return { ok: true, items, fetchedAt: Date.now() };
    } catch (error) {
      if (kind.optional && error instanceof McpError && error.code === ErrorCode.MethodNotFound) return { ok: true, items: [], fetchedAt: Date.now() };
      if (await isBeingDiscovered(server, context.env))
        return { ok: false, error: discovering(server.name, kind.noun), fetchedAt: Date.now(), discovering: true };
      const failure = error instanceof ProxyError ? error : listFailure(server.name, kind.noun, error);
      return { ok: false, error: failure, fetchedAt: Date.now(), discovering: false };
    }
  }

  return { of, ofAll };
}

/** Asked only when a stdio server's listing failed: is it simply not started once yet? */
async function isBeingDiscovered(server: WorkerServer, env: Env): Promise<boolean> {
  if (server.transport !== "stdio") return false;
  const status = await bridgeStatus(env, STATUS_TIMEOUT_MS).catch(() => undefined);
  return status?.servers[server.name]?.known === false;
}

function discovering(server: string, noun: string): ProxyError {
  const message = `MCP server '${server}' is being discovered: it is starting for the first time, and its ${noun} are listed once it has answered`;
  return outcomeError("discovering", message, { server });
}

/** The server's JSON-RPC error (or anything else unexpected) answering a list request. */
function listFailure(server: string, noun: string, error: unknown): ProxyError {
  const reason = error instanceof McpError ? rpcMessage(error) : (error as Error).message;
  return outcomeError("rpc_error", `MCP server '${server}' failed to list its ${noun}: ${reason}`, { server }, error);
}

function ttlMs(env: Env): number {
  return settingsOf(env).TOOLS_TTL_SECONDS * 1_000;
}
