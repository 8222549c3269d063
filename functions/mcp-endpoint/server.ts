// The proxy as an MCP server, made per request (the worker keeps nothing between requests): the
// SDK's Server does the protocol (initialize, version negotiation, ping, errors); these handlers
// answer from the same catalog, grants, cached lists and upstream calls as the OpenAPI face.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CompleteRequest,
  CompleteRequestSchema,
  CompleteResultSchema,
  type CallToolResult,
  GetPromptRequestSchema,
  GetPromptResultSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { assertMayCall } from "../auth/access.ts";
import { upstreamFor } from "../bridge.ts";
import { logCallFailure } from "../call-log.ts";
import { ProxyError } from "../errors.ts";
import { mcpRequest } from "../mcp-client/request.ts";
import type { RequestScope } from "../routes/context.ts";
import type { Arguments } from "../tools/arguments.ts";
import { callUpstreamTool, findTool, type ProgressRelay } from "../tools/call.ts";
import { nestsDeeperThan } from "../tools/json-depth.ts";
import { prefixContents } from "./content.ts";
import { type Endpoint, type Exposed, exposedPrompts, exposedResources, exposedTemplates, exposedTools } from "./exposed.ts";
import { type Target, targetOfUri } from "./names.ts";
import { rpcErrorOf, unknownName } from "./rpc-errors.ts";

export const SERVER_INFO = { name: "mcp-proxy", title: "MCP Proxy", version: "0.1.0" };
/**
 * `logging`: a level is accepted (the SDK keeps it for the request); upstream log messages are not
 * relayed, so none is ever sent. `completions` are the upstream's.
 */
const CAPABILITIES = { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, logging: {}, completions: {} };
const MAX_ARGUMENT_DEPTH = 64;
/** One validator made once: the SDK's default (Ajv) compiles code at runtime, which workerd forbids. */
const validator = new CfWorkerJsonSchemaValidator();

export function mcpServer(scope: RequestScope, endpoint: Endpoint): Server {
  const server = new Server(SERVER_INFO, { capabilities: CAPABILITIES, instructions: instructionsFor(endpoint), jsonSchemaValidator: validator });
  const handle = <T>(answer: () => Promise<T>) => answer().catch((error) => Promise.reject(rpcErrorOf(error)));

  server.setRequestHandler(ListToolsRequestSchema, () => handle(async () => ({ tools: listed(endpoint, await exposedTools(scope, endpoint)) })));
  server.setRequestHandler(CallToolRequestSchema, (request) => handle(() => callTool(scope, endpoint, request.params.name, request.params.arguments ?? {})));
  server.setRequestHandler(ListPromptsRequestSchema, () => handle(async () => ({ prompts: listed(endpoint, await exposedPrompts(scope, endpoint)) })));
  server.setRequestHandler(GetPromptRequestSchema, (request) => handle(() => getPrompt(scope, endpoint, request.params)));
  server.setRequestHandler(ListResourcesRequestSchema, () => handle(async () => ({ resources: listed(endpoint, await exposedResources(scope, endpoint)) })));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () =>
    handle(async () => ({ resourceTemplates: listed(endpoint, await exposedTemplates(scope, endpoint)) })),
  );
  server.setRequestHandler(ReadResourceRequestSchema, (request) => handle(() => readResource(scope, endpoint, request.params.uri)));
  server.setRequestHandler(CompleteRequestSchema, (request) => handle(() => complete(scope, endpoint, request.params)));
  return server;
}

/** /mcp leaves out a server it cannot list right now; /{server}/mcp has nothing else to show, so it says why. */
function listed<Item>(endpoint: Endpoint, exposed: Exposed<Item>): Item[] {
  const failure = exposed.failures[0];
  if (failure && !endpoint.prefixed) throw failure.error;
  return exposed.items;
}

/** tools/call on either path (SDK or single-call.ts): the same checks, logging and result. */
export async function callTool(scope: RequestScope, endpoint: Endpoint, name: string, args: Arguments, progress?: ProgressRelay): Promise<CallToolResult> {
  const started = performance.now();
  const target = endpoint.prefixed ? (await exposedTools(scope, endpoint)).targets.get(name) : { server: endpoint.servers[0]!.name, name };
  try {
    assertMayCall(scope.access);
    if (!target) throw unknownName("tool", name);
    if (nestsDeeperThan(args, MAX_ARGUMENT_DEPTH)) {
      throw new ProxyError(400, "invalid_arguments", `The arguments nest more than ${MAX_ARGUMENT_DEPTH} levels deep, the most this proxy accepts`);
    }
    const server = serverOf(endpoint, target.server);
    const result = await callUpstreamTool(scope, server, await findTool(scope, server, target.name), args, progress);
    return endpoint.prefixed ? { ...result, content: prefixContents(server.name, result.content) } : result;
  } catch (error) {
    logCallFailure({ server: target?.server ?? "(unknown)", tool: target?.name ?? name, durationMs: performance.now() - started, error });
    throw error;
  }
}

async function getPrompt(scope: RequestScope, endpoint: Endpoint, params: { name: string; arguments?: Record<string, string> }) {
  const target = endpoint.prefixed
    ? (await exposedPrompts(scope, endpoint)).targets.get(params.name)
    : { server: endpoint.servers[0]!.name, name: params.name };
  if (!target) throw unknownName("prompt", params.name);
  const server = serverOf(endpoint, target.server);
  const request = { name: target.name, ...(params.arguments ? { arguments: params.arguments } : {}) };
  const result = await mcpRequest(upstreamFor(server, scope.env), "prompts/get", request, GetPromptResultSchema, scope);
  if (!endpoint.prefixed) return result;
  return { ...result, messages: result.messages.map((message) => ({ ...message, content: prefixContents(server.name, [message.content])[0]! })) };
}

async function readResource(scope: RequestScope, endpoint: Endpoint, uri: string) {
  const target = endpoint.prefixed ? targetOfUri(uri) : { server: endpoint.servers[0]!.name, name: uri };
  const server = target && endpoint.servers.find((s) => s.name === target.server);
  if (!target || !server) throw unknownName("resource", uri);
  const result = await mcpRequest(upstreamFor(server, scope.env), "resources/read", { uri: target.name }, ReadResourceResultSchema, scope);
  return endpoint.prefixed ? { ...result, contents: prefixContents(server.name, result.contents) } : result;
}

/** Completions of a prompt's or a resource template's argument, asked of the server that has it. */
async function complete(scope: RequestScope, endpoint: Endpoint, params: CompleteRequest["params"]) {
  const { ref } = params;
  const own = ref.type === "ref/prompt" ? ref.name : ref.uri;
  let target: Target | undefined = { server: endpoint.servers[0]!.name, name: own };
  if (endpoint.prefixed) target = ref.type === "ref/prompt" ? (await exposedPrompts(scope, endpoint)).targets.get(own) : targetOfUri(own);
  const server = target && endpoint.servers.find((s) => s.name === target.server);
  if (!target || !server) throw unknownName(ref.type === "ref/prompt" ? "prompt" : "resource", own);
  const upstreamRef = ref.type === "ref/prompt" ? { ...ref, name: target.name } : { ...ref, uri: target.name };
  return mcpRequest(upstreamFor(server, scope.env), "completion/complete", { ...params, ref: upstreamRef }, CompleteResultSchema, scope);
}

function serverOf(endpoint: Endpoint, name: string) {
  return endpoint.servers.find((s) => s.name === name)!;
}

function instructionsFor(endpoint: Endpoint): string {
  if (!endpoint.prefixed) return `The tools, prompts and resources of the MCP server '${endpoint.servers[0]!.name}', through MCP Proxy.`;
  return "The tools of several MCP servers, through MCP Proxy: each tool and prompt is named <server>_<name>, each resource URI is mcp-proxy://<server>/<the server's URI>.";
}
