// POST /{server}/{tool}: the body is the tool's arguments; the answer is the tool's result.
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { assertMayCall } from "../auth/access.ts";
import { logCallFailure } from "../call-log.ts";
import { rpcOutcome } from "../../schema/call-outcomes.ts";
import type { ProxyError } from "../errors.ts";
import { rpcMessage } from "../mcp-client/messages.ts";
import { outcomeError } from "../mcp-client/outcomes.ts";
import { toolResultResponse } from "../mcp-client/result.ts";
import { readArguments, unwrapArguments } from "../tools/arguments.ts";
import { assertSupported } from "../tools/support.ts";
import { callUpstreamTool, findTool } from "../tools/call.ts";
import { validateArguments } from "../tools/validate-arguments.ts";
import { scopeOf, serverNamed, type AppContext } from "./context.ts";

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
  try {
    return toolResultResponse(await callUpstreamTool(scope, server, tool, args), server.name, tool.name);
  } catch (error) {
    if (error instanceof McpError) throw rpcFailure(error, server.name, tool.name);
    throw error;
  }
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
