// The worker's own metrics, named after OpenTelemetry's MCP semantic conventions where they have
// a name (mcp.server.operation.duration, mcp.method.name, gen_ai.tool.name, error.type), in
// Prometheus' form: dots become underscores, the unit is a suffix.
import { type CallRecord, UNKNOWN_NAME } from "../calls/call-record.ts";
import { Counter, Histogram } from "./registry.ts";

/** OpenTelemetry's advice for mcp.server.operation.duration, in seconds. */
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

const callDuration = new Histogram(
  "mcp_server_operation_duration_seconds",
  "Duration of tool calls through either face (OpenAPI or /mcp), from the request to the answer.",
  DURATION_BUCKETS,
);
// Its own counter rather than the histogram's _count: it carries the HTTP status and the outcome,
// which the histogram leaves out to keep its series few.
const toolCalls = new Counter("mcp_proxy_tool_calls_total", "Tool calls that ended, by catalog server, tool, HTTP status and outcome.");
const sessionReinits = new Counter(
  "mcp_proxy_upstream_session_reinits_total",
  "Upstream MCP sessions started again because the server no longer knew the kept one.",
);
const grantsCache = new Counter("mcp_proxy_grants_cache_lookups_total", "Lookups of a user's grants in the isolate's cache, by result (hit or miss).");
const listingCache = new Counter(
  "mcp_proxy_listing_cache_lookups_total",
  "Lookups of a server's tool (or other) list in the isolate's cache, by list and result (hit, stale or miss).",
);

// A name the caller made up must not become a label value: each would be a new series, without
// bound. The tool's name is kept once the tool was found; the server's once the server was.
const TOOL_FOUND = new Set(["invalid_arguments", "unsupported_tool", "result_too_large"]);
const SERVER_UNKNOWN = new Set([
  "unknown_server",
  "forbidden",
  "unauthenticated",
  "invalid_token",
  "invalid_identity",
  "misconfigured",
  "permissions_unavailable",
  "database_unavailable",
  "bridge_unavailable",
]);

/** Counts one ended tool call; wired to the call recorder's subscriber hook. */
export function observeCall(record: CallRecord): void {
  const code = record.errorCode ?? "";
  const toolFound = record.outcome !== "error" || code.startsWith("upstream_") || TOOL_FOUND.has(code);
  const server = toolFound || !SERVER_UNKNOWN.has(code) ? record.server : UNKNOWN_NAME;
  const tool = toolFound ? record.tool : UNKNOWN_NAME;
  const errorType = record.outcome === "ok" ? "" : record.outcome === "tool_error" ? "tool_error" : (record.errorCode ?? "error");
  callDuration.observe({ mcp_method_name: "tools/call", gen_ai_tool_name: tool, mcp_server: server, error_type: errorType }, record.durationMs / 1000);
  toolCalls.inc({ server, tool, status: String(record.status), outcome: record.outcome });
}

export function countSessionReinit(upstream: string): void {
  sessionReinits.inc({ mcp_server: upstream });
}

export function countGrantsLookup(hit: boolean): void {
  grantsCache.inc({ result: hit ? "hit" : "miss" });
}

export function countListingLookup(list: string, result: "hit" | "stale" | "miss"): void {
  listingCache.inc({ list, result });
}
