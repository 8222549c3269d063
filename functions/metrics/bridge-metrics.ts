// The bridge's counters (stdio server starts, crashes, restarts), fetched at each scrape and
// written out among the worker's metrics, with mcp_proxy_bridge_up saying whether it answered.
import { BridgeMetrics, type StdioCounts } from "../../schema/bridge-metrics.ts";
import { bridgeHeaders } from "../bridge.ts";
import { type Env, settingsOf } from "../env.ts";
import { header, sample } from "./registry.ts";

const SCRAPE_TIMEOUT_MS = 1_000;

const COUNTERS: { field: keyof StdioCounts; name: string; help: string }[] = [
  { field: "starts", name: "mcp_proxy_stdio_starts_total", help: "stdio server processes the bridge spawned (first starts, after idle stops, and restarts)." },
  { field: "crashes", name: "mcp_proxy_stdio_crashes_total", help: "stdio server processes that exited unasked while running." },
  {
    field: "startFailures",
    name: "mcp_proxy_stdio_start_failures_total",
    help: "stdio server starts that failed (exited or did not answer initialize in time).",
  },
  { field: "restarts", name: "mcp_proxy_stdio_restarts_total", help: "stdio server starts after a crash's or a failed start's backoff." },
];

export async function renderBridgeMetrics(env: Env): Promise<string> {
  const metrics = await fetchBridgeMetrics(env);
  const lines = [
    ...header("mcp_proxy_bridge_up", "Whether the bridge answered this scrape (1) or not (0).", "gauge"),
    sample("mcp_proxy_bridge_up", {}, metrics ? 1 : 0),
  ];
  for (const { field, name, help } of metrics ? COUNTERS : []) {
    lines.push(...header(name, help, "counter"));
    for (const [server, counts] of Object.entries(metrics!.servers)) lines.push(sample(name, { server }, counts[field]));
  }
  return `${lines.join("\n")}\n`;
}

async function fetchBridgeMetrics(env: Env): Promise<BridgeMetrics | undefined> {
  try {
    const response = await fetch(`${settingsOf(env).BRIDGE_URL}/metrics`, { headers: bridgeHeaders(env), signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    return BridgeMetrics.parse(await response.json());
  } catch {
    return undefined;
  }
}
