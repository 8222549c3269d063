// POST /{server}/{tool}: the body is the tool's arguments; the answer is the tool's result.
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { assertMayCall } from "../auth/access.ts";
import { ANSWERED, endingOf } from "../calls/call-ending.ts";
import { UNKNOWN_NAME } from "../calls/call-record.ts";
import { type CallDetail, type CallTarget, startCall } from "../calls/record-call.ts";
import { rpcOutcome } from "../../schema/call-outcomes.ts";
import type { ProxyError } from "../errors.ts";
import { rpcMessage } from "../mcp-client/messages.ts";
import { outcomeError } from "../mcp-client/outcomes.ts";
import { toolResultResponse } from "../mcp-client/result.ts";
import { readArguments, unwrapArguments } from "../tools/arguments.ts";
import { assertSupported } from "../tools/support.ts";
import { callUpstreamTool, findTool } from "../tools/call.ts";
import { validateArguments } from "../tools/validate-arguments.ts";
import { recordContextOf, scopeOf, serverNamed, type AppContext } from "./context.ts";

export async function callTool(c: AppContext): Promise<Response> {
  const end = startCall(recordContextOf(c), "openapi");
  const target: CallTarget = { server: UNKNOWN_NAME, tool: c.req.param("tool")! };
  const detail: CallDetail = {};
  try {
    const response = await call(c, target, detail);
    end(target, ANSWERED, detail);
    return response;
  } catch (error) {
    end(target, endingOf(error), { ...detail, failure: error });
    throw error;
  }
}

/** Calls the tool, naming its server in `target` once the catalog knows it and keeping what the call carried in `detail`. */
async function call(c: AppContext, target: CallTarget, detail: CallDetail): Promise<Response> {
  const scope = await scopeOf(c);
  const name = c.req.param("server")!;
  if (scope.catalog.servers.some((s) => s.name === name)) target.server = name;
  assertMayCall(scope.access);
  const server = serverNamed(scope, name);
  const body = await readArguments(c.req.raw);
  const tool = await findTool(scope, server, c.req.param("tool")!);
  assertSupported(tool, server.name);
  const args = unwrapArguments(body, tool);
  detail.arguments = args;
  validateArguments(args, tool, server.name);
  try {
    const result = await callUpstreamTool(scope, server, tool, args);
    detail.result = result;
    return toolResultResponse(result, server.name, tool.name);
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
