// How the outcome of a call to an MCP server becomes an HTTP status, on both sides: what the bridge
// answers the worker when it cannot carry a request to a stdio server, and what the worker answers
// its caller for each tool or transport outcome. Statuses and codes live only here.
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import type { BridgeFailureReason } from "./bridge-error.ts";

/** The bridge's statuses to the worker, by why it could not carry the request (schema/bridge-error.ts). */
export const BRIDGE_ANSWERS = {
  /** Not one JSON-RPC message, or no Mcp-Session-Id. */
  invalid_request: 400,
  /** A session the bridge no longer knows (the process restarted): the worker opens a new one. */
  session_not_found: 404,
  /** Not running, restarting with no start in sight, still being discovered, or the bridge shutting down. */
  not_running: 503,
  /** No answer within the server's timeout. */
  timeout: 504,
  /** Exited mid-call, could not start, answered over MAX_RESULT_BYTES, or failed otherwise. */
  failed: 502,
} as const;
export type BridgeAnswer = keyof typeof BRIDGE_ANSWERS;

/** What the worker answers its caller, by outcome of the call. */
export const CALL_OUTCOMES = {
  /** The tool ran and reported an error (`isError: true`): its own message, 422. */
  tool_error: { status: 422, code: "tool_error" },
  /** JSON-RPC InvalidParams (-32602): the arguments are the caller's to fix. */
  rpc_invalid_params: { status: 400, code: "invalid_arguments" },
  /** JSON-RPC MethodNotFound (-32601): the server does not know the tool after all. */
  rpc_method_not_found: { status: 404, code: "unknown_tool" },
  /** Any other JSON-RPC error the server answered with. */
  rpc_error: { status: 502, code: "upstream_error" },
  /** No answer within the timeout (the worker's own, or the bridge's 504). */
  timeout: { status: 504, code: "upstream_timeout" },
  /** A remote server the network cannot reach. */
  unreachable: { status: 502, code: "upstream_unreachable" },
  /** A remote server answered with an HTTP error status. */
  http_error: { status: 502, code: "upstream_http_error" },
  /** An answer that is not MCP: not JSON-RPC, no answer to the request, an invalid result. */
  protocol_error: { status: 502, code: "upstream_protocol" },
  /** The bridge itself is down or restarting (it is restarted by the supervisor): retry shortly. */
  bridge_down: { status: 503, code: "bridge_unavailable", retryAfterSeconds: 1 },
  /** The bridge answered `not_running` (503) for a stdio server. */
  server_unavailable: { status: 503, code: "upstream_unavailable" },
  /** The bridge answered `failed`, `invalid_request` or `session_not_found` on a new session. */
  server_failed: { status: 502, code: "upstream_unavailable" },
  /** The bridge refused a result over MAX_RESULT_BYTES (`data.reason`). */
  result_too_large: { status: 502, code: "result_too_large" },
  /** A stdio server not yet started once, so its tools are not known: retry soon. */
  discovering: { status: 503, code: "discovering", retryAfterSeconds: 2 },
} as const satisfies Record<string, { status: number; code: string; retryAfterSeconds?: number }>;
export type CallOutcome = keyof typeof CALL_OUTCOMES;

/**
 * Statuses of an upstream refusing a session it no longer knows: the SDK says 404, many servers say
 * 400. The worker then opens a new session and retries once; that outcome has no status of its own.
 */
export function isSessionExpired(status: number, hadSession: boolean): boolean {
  return status === 404 || (status === 400 && hadSession);
}

/** The outcome of a JSON-RPC error an MCP server answered a call with. */
export function rpcOutcome(code: number): Extract<CallOutcome, `rpc_${string}`> {
  if (code === ErrorCode.InvalidParams) return "rpc_invalid_params";
  if (code === ErrorCode.MethodNotFound) return "rpc_method_not_found";
  return "rpc_error";
}

const REASON_OUTCOMES = { result_too_large: "result_too_large" } as const satisfies Record<BridgeFailureReason, CallOutcome>;

/** The outcome of the bridge's error answer: its `data.reason` if it names one, else its status. */
export function bridgeOutcome(status: number, reason: BridgeFailureReason | undefined): CallOutcome {
  if (reason) return REASON_OUTCOMES[reason];
  if (status === BRIDGE_ANSWERS.not_running) return "server_unavailable";
  if (status === BRIDGE_ANSWERS.timeout) return "timeout";
  return "server_failed";
}
