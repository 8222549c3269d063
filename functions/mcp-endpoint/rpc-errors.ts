// The proxy's refusals and failures as JSON-RPC errors: the message the OpenAPI face would give,
// the HTTP status and code in `data`, so both faces explain a failure the same way.
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { ProxyError } from "../errors.ts";
import { rpcMessage } from "../mcp-client/messages.ts";

/**
 * What a handler throws to answer with a JSON-RPC error: the SDK's Server sends `code`, `message`
 * and `data` as they are (an McpError's message would gain a second "MCP error <code>:" prefix).
 */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export function rpcErrorOf(error: unknown): unknown {
  if (error instanceof RpcError) return error;
  if (error instanceof McpError) return new RpcError(error.code, rpcMessage(error), error.data); // the upstream's own words
  if (!(error instanceof ProxyError)) return error; // the SDK answers it as an internal error
  return new RpcError(codeFor(error.status), error.message, { status: error.status, code: error.code, ...error.details });
}

function codeFor(status: number): number {
  if (status === 400 || status === 404 || status === 422) return ErrorCode.InvalidParams;
  return status < 500 ? ErrorCode.InvalidRequest : ErrorCode.InternalError;
}

/** The spec's answer to a tool, prompt or resource the caller cannot see: it names nothing else. */
export function unknownName(kind: "tool" | "prompt" | "resource", name: string): RpcError {
  if (kind === "resource") return new RpcError(RESOURCE_NOT_FOUND, `Unknown resource: ${name}`, { uri: name });
  return new RpcError(ErrorCode.InvalidParams, `Unknown ${kind}: ${name}`);
}

/** The spec's code for a resource that does not exist. */
const RESOURCE_NOT_FOUND = -32002;
