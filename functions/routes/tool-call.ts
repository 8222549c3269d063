// POST /{server}/{tool}: the body is the tool's arguments; the answer is the tool's result.
import { CallToolResultSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { assertMayCall } from "../auth/access.ts";
import { upstreamFor } from "../bridge.ts";
import { logCallFailure } from "../call-log.ts";
import { rpcOutcome } from "../../schema/call-outcomes.ts";
import { ProxyError } from "../errors.ts";
import { rpcMessage } from "../mcp/messages.ts";
import { outcomeError } from "../mcp/outcomes.ts";
import { mcpRequest } from "../mcp/request.ts";
import { toolResultResponse } from "../mcp/result.ts";
import { readArguments, unwrapArguments } from "../tools/arguments.ts";
import { assertSupported } from "../tools/support.ts";
import { toolsOf, type Tool } from "../tools/tool-lists.ts";
import { validateArguments } from "../tools/validate-arguments.ts";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { scopeOf, serverNamed, type AppContext, type RequestScope } from "./context.ts";

export async function callTool(c: AppContext): Promise<Response> {
  const started = performance.now();
  try {
    return await call(c);
  } catch (error) {
    logCallFailure({ server: c.req.param("server")!, tool: c.req.param("tool")!, durationMs: performance.now() - started, error });
    throw error;
  }
}

async function call(c: AppContext): Promise<Response> {
  const scope = await scopeOf(c);
  assertMayCall(scope.access);
  const server = serverNamed(scope, c.req.param("server")!);
  const body = await readArguments(c.req.raw);
  const tool = await findTool(scope, server, c.req.param("tool")!);
  assertSupported(tool, server.name);
  const args = unwrapArguments(body, tool);
  validateArguments(args, tool, server.name);
  const upstream = upstreamFor(server, c.env);
  try {
    const result = await mcpRequest(upstream, "tools/call", { name: tool.name, arguments: args }, CallToolResultSchema, scope);
    return toolResultResponse(result, server.name, tool.name);
  } catch (error) {
    if (error instanceof McpError) throw rpcFailure(error, server.name, tool.name);
    throw error;
  }
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

/** The server's JSON-RPC error as the caller's: which status is schema/call-outcomes.ts's to say. */
function rpcFailure(error: McpError, server: string, tool: string): ProxyError {
  const outcome = rpcOutcome(error.code);
  const reason = rpcMessage(error);
  const message = {
    rpc_invalid_params: `Tool '${tool}' of '${server}' rejected the arguments: ${reason}`,
    rpc_method_not_found: `Server '${server}' does not know '${tool}': ${reason}`,
    rpc_error: `MCP server '${server}' failed calling '${tool}': ${reason}`,
  }[outcome];
  return outcomeError(outcome, message, { server, tool, rpcCode: error.code }, error);
}
