// One MCP request to an upstream, whatever its transport, bounded by a timeout.
import { sseRequest } from "./sse.ts";
import { streamableRequest } from "./streamable-http.ts";
import type { CallContext, Upstream } from "./upstream.ts";

export interface RequestOptions {
  waitUntil: CallContext["waitUntil"];
  /** Defaults to the server's own timeout. */
  timeoutMs?: number;
}

export function mcpRequest(upstream: Upstream, method: string, params: unknown, options: RequestOptions): Promise<Record<string, unknown>> {
  const bounded = { ...upstream, timeoutMs: options.timeoutMs ?? upstream.timeoutMs };
  const call = upstream.transport === "sse" ? sseRequest : streamableRequest;
  return call(bounded, method, params, { signal: AbortSignal.timeout(bounded.timeoutMs), waitUntil: options.waitUntil });
}
