// POST /{server}/{tool}: the body is the tool's arguments; the answer is the tool's result.
import { upstreamFor } from "../bridge.ts";
import { ProxyError, RpcError } from "../errors.ts";
import { mcpRequest } from "../mcp/request.ts";
import { toolResultResponse } from "../mcp/result.ts";
import { toolsOf, type Tool } from "../tools/tool-lists.ts";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { scopeOf, serverNamed, type AppContext, type RequestScope } from "./context.ts";

export async function callTool(c: AppContext): Promise<Response> {
  const scope = await scopeOf(c);
  const server = serverNamed(scope, c.req.param("server")!);
  const args = await readArguments(c);
  const tool = await findTool(scope, server, c.req.param("tool")!);
  const upstream = upstreamFor(server, c.env);
  try {
    const result = await mcpRequest(upstream, "tools/call", { name: tool.name, arguments: unwrap(args, tool) }, scope);
    return toolResultResponse(result, server.name, tool.name);
  } catch (error) {
    if (error instanceof RpcError) throw rpcFailure(error, server.name, tool.name);
    throw error;
  }
}

async function readArguments(c: AppContext): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type");
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ProxyError(415, "unsupported_media_type", `The body must be JSON (content-type: application/json), not ${type}`);
  }
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ProxyError(400, "invalid_json", `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ProxyError(400, "invalid_arguments", "The body must be a JSON object of the tool's arguments");
  }
  return body as Record<string, unknown>;
}

async function findTool(scope: RequestScope, server: WorkerServer, name: string): Promise<Tool> {
  let listing = await toolsOf(server, scope);
  // A tool the cached list lacks may be new: ask the server once before answering 404.
  if (listing.ok && !listing.tools.some((t) => t.name === name)) listing = await toolsOf(server, scope, { refresh: true });
  if (!listing.ok) throw listing.error;
  const tool = listing.tools.find((t) => t.name === name);
  if (tool) return tool;
  const names = listing.tools.map((t) => t.name).join(", ") || "(none)";
  throw new ProxyError(404, "unknown_tool", `Server '${server.name}' has no tool '${name}'. Available tools: ${names}`, { server: server.name, tool: name });
}

/** `{"arguments": {...}}` is accepted too, unless the tool really takes a parameter named `arguments`. */
function unwrap(body: Record<string, unknown>, tool: Tool): Record<string, unknown> {
  const keys = Object.keys(body);
  const inner = body.arguments;
  const toolHasArguments = !!(tool.inputSchema.properties as Record<string, unknown> | undefined)?.arguments;
  if (keys.length === 1 && inner && typeof inner === "object" && !Array.isArray(inner) && !toolHasArguments) {
    return inner as Record<string, unknown>;
  }
  return body;
}

function rpcFailure(error: RpcError, server: string, tool: string): ProxyError {
  const details = { server, tool, rpcCode: error.code };
  if (error.code === -32602) return new ProxyError(400, "invalid_arguments", `Tool '${tool}' of '${server}' rejected the arguments: ${error.message}`, details);
  if (error.code === -32601) return new ProxyError(404, "unknown_tool", `Server '${server}' does not know '${tool}': ${error.message}`, details);
  return new ProxyError(502, "upstream_error", `MCP server '${server}' failed calling '${tool}': ${error.message}`, details);
}
