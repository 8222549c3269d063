// One MCP request to an upstream, whatever its transport, bounded by a timeout; its result parsed
// with the SDK's schema for the method (CallToolResultSchema, ListToolsResultSchema, ...).
import { z } from "zod";
import { sseRequest } from "./sse.ts";
import { streamableRequest } from "./streamable-http.ts";
import { protocolError, type CallContext, type Upstream } from "./upstream.ts";

export interface RequestOptions {
  waitUntil: CallContext["waitUntil"];
  onNotification?: CallContext["onNotification"];
  /** Defaults to the server's own timeout. */
  timeoutMs?: number;
}

export async function mcpRequest<S extends z.ZodType>(
  upstream: Upstream,
  method: string,
  params: unknown,
  resultSchema: S,
  options: RequestOptions,
): Promise<z.output<S>> {
  const bounded = { ...upstream, timeoutMs: options.timeoutMs ?? upstream.timeoutMs };
  const call = upstream.transport === "sse" ? sseRequest : streamableRequest;
  const result = await call(bounded, method, params, {
    signal: AbortSignal.timeout(bounded.timeoutMs),
    waitUntil: options.waitUntil,
    onNotification: options.onNotification,
  });
  const parsed = resultSchema.safeParse(result);
  if (!parsed.success) throw protocolError(upstream, `answered ${method} with an invalid result: ${z.prettifyError(parsed.error)}`, parsed.error);
  return parsed.data;
}
