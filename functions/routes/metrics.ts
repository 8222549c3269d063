// GET /metrics: the worker's and the bridge's metrics in Prometheus' text format, for the operator,
// the API key's holder or an admin (like /health's details). Not a tool: left out of /openapi.json.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { renderBridgeMetrics } from "../metrics/bridge-metrics.ts";
import { renderMetrics } from "../metrics/registry.ts";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export async function metricsPage(c: Context<AppEnv>): Promise<Response> {
  const { caller, admin } = c.get("access");
  if (caller.kind === "user" && !admin) throw new ProxyError(403, "forbidden", "/metrics is for admins, the API key's holder or the operator");
  const text = renderMetrics() + (await renderBridgeMetrics(c.env));
  return c.body(text, 200, { "content-type": METRICS_CONTENT_TYPE });
}
