// What one tool call through either face (OpenAPI or /mcp) leaves behind once it has ended: the
// one record the per-call log line, the audit trail and the metrics are all made from.

export type Face = "openapi" | "mcp";

/** A record's server (or tool) when the caller's name matched none: their text stays out of records and metric labels. */
export const UNKNOWN_NAME = "(unknown)";

/** How the call ended: the tool answered (ok), the tool itself reported an error (isError), or the proxy refused or failed it. */
export type CallOutcome = "ok" | "tool_error" | "error";

export interface CallRecord {
  /** When the call started. */
  startedAt: Date;
  face: Face;
  /** The user's permission key (their email), "operator" (no gateway mode) or "key-holder". */
  caller: string;
  /** The catalog server's name; "(unknown)" when the name resolved to none the caller may use. */
  server: string;
  /** The tool's own name (not the /mcp prefixed one). */
  tool: string;
  /** The HTTP status the call was answered with (on /mcp: the one the OpenAPI face would give). */
  status: number;
  outcome: CallOutcome;
  /** The ErrorCode on failure (ProxyError's code), e.g. "forbidden", "upstream_unavailable". */
  errorCode?: string;
  durationMs: number;
  /** The request's id: the caller's X-Request-Id when it is a sane one, else generated; echoed in the answer. */
  requestId: string;
}
