// What the proxy answers as an MCP server, whichever protocol era the request is of: the same
// catalog, grants, cached lists and upstream calls as the OpenAPI face. The SDK servers that speak
// each era (legacy-server.ts, modern-server.ts) are made per request around these methods.
import {
  type CallToolRequest,
  type CallToolResult,
  type CompleteRequest,
  CompleteResultSchema,
  type GetPromptRequest,
  GetPromptResultSchema,
  ReadResourceResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { assertMayCall } from "../auth/access.ts";
import { upstreamFor } from "../bridge.ts";
import { ANSWERED, endingOf, TOOL_ERROR } from "../calls/call-ending.ts";
import { UNKNOWN_NAME } from "../calls/call-record.ts";
import { startCall } from "../calls/record-call.ts";
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
const MAX_ARGUMENT_DEPTH = 64;

/** The requests the proxy answers, by method; each rejects with an error the SDK servers send as JSON-RPC. */
export function mcpMethods(scope: RequestScope, endpoint: Endpoint) {
  const handle = <T>(answer: () => Promise<T>) => answer().catch((error) => Promise.reject(rpcErrorOf(error)));
  return {
    "tools/list": () => handle(async () => ({ tools: listed(endpoint, await exposedTools(scope, endpoint)) })),
    "tools/call": (params: CallToolRequest["params"], progress?: ProgressRelay) =>
      handle(() => callTool(scope, endpoint, params.name, params.arguments ?? {}, progress)),
    "prompts/list": () => handle(async () => ({ prompts: listed(endpoint, await exposedPrompts(scope, endpoint)) })),
    "prompts/get": (params: GetPromptRequest["params"]) => handle(() => getPrompt(scope, endpoint, params)),
    "resources/list": () => handle(async () => ({ resources: listed(endpoint, await exposedResources(scope, endpoint)) })),
    "resources/templates/list": () => handle(async () => ({ resourceTemplates: listed(endpoint, await exposedTemplates(scope, endpoint)) })),
    "resources/read": (params: { uri: string }) => handle(() => readResource(scope, endpoint, params.uri)),
    "completion/complete": (params: CompleteRequest["params"]) => handle(() => complete(scope, endpoint, params)),
  };
}

export function instructionsFor(endpoint: Endpoint): string {
  if (!endpoint.prefixed) return `The tools, prompts and resources of the MCP server '${endpoint.servers[0]!.name}', through MCP Proxy.`;
  return "The tools of several MCP servers, through MCP Proxy: each tool and prompt is named <server>_<name>, each resource URI is mcp-proxy://<server>/<the server's URI>.";
}

/** /mcp leaves out a server it cannot list right now; /{server}/mcp has nothing else to show, so it says why. */
function listed<Item>(endpoint: Endpoint, exposed: Exposed<Item>): Item[] {
  const failure = exposed.failures[0];
  if (failure && !endpoint.prefixed) throw failure.error;
  return exposed.items;
}

/** tools/call on either path (SDK or single-call.ts): the same checks, record and result. */
export async function callTool(scope: RequestScope, endpoint: Endpoint, name: string, args: Arguments, progress?: ProgressRelay): Promise<CallToolResult> {
  const end = startCall(scope, "mcp");
  let target: Target | undefined;
  try {
    target = endpoint.prefixed ? (await exposedTools(scope, endpoint)).targets.get(name) : { server: endpoint.servers[0]!.name, name };
    assertMayCall(scope.access);
    if (!target) throw unknownName("tool", name);
    if (nestsDeeperThan(args, MAX_ARGUMENT_DEPTH)) {
      throw new ProxyError(400, "invalid_arguments", `The arguments nest more than ${MAX_ARGUMENT_DEPTH} levels deep, the most this proxy accepts`);
    }
    const server = serverOf(endpoint, target.server);
    const result = await callUpstreamTool(scope, server, await findTool(scope, server, target.name), args, progress);
    end(recorded(target, name), result.isError === true ? TOOL_ERROR : ANSWERED, { arguments: args, result });
    return endpoint.prefixed ? { ...result, content: prefixContents(server.name, result.content) } : result;
  } catch (error) {
    end(recorded(target, name), endingOf(error), { arguments: args, failure: error });
    throw error;
  }
}

/** The tool as its record names it: its own name, on its server, or the name asked for on no known server. */
function recorded(target: Target | undefined, name: string) {
  return target ? { server: target.server, tool: target.name } : { server: UNKNOWN_NAME, tool: name };
}

async function getPrompt(scope: RequestScope, endpoint: Endpoint, params: GetPromptRequest["params"]) {
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
