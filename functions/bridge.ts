// The worker's view of the bridge: its catalog (cached briefly), its status, and stdio upstreams.
import { BridgeStatus } from "../schema/bridge-status.ts";
import { WorkerCatalog, type WorkerServer } from "../schema/catalog/index.ts";
import { IsolateCache } from "./cache.ts";
import { type Env, settingsOf } from "./env.ts";
import { ProxyError } from "./errors.ts";
import { logCause } from "./log.ts";
import type { Upstream } from "./mcp-client/upstream.ts";

const CATALOG_TTL_MS = 10_000;
/** Per bridge URL: one in practice. */
const catalogs = new IsolateCache<string, WorkerCatalog>(4);

export function bridgeHeaders(env: Env): Record<string, string> {
  return { authorization: `Bearer ${settingsOf(env).BRIDGE_TOKEN}` };
}

export async function loadCatalog(env: Env, timeoutMs = 2_000): Promise<WorkerCatalog> {
  const { BRIDGE_URL } = settingsOf(env);
  const fresh = catalogs.fresh(BRIDGE_URL, CATALOG_TTL_MS);
  if (fresh) return fresh;
  try {
    const response = await fetch(`${BRIDGE_URL}/catalog`, { headers: bridgeHeaders(env), signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return catalogs.set(BRIDGE_URL, WorkerCatalog.parse(await response.json()));
  } catch (error) {
    const stale = catalogs.get(BRIDGE_URL);
    if (stale) return stale.value; // the bridge restarting must not take remote servers down
    logCause("bridge_unavailable", `reading the catalog from ${BRIDGE_URL}`, error);
    throw new ProxyError(503, "bridge_unavailable", "The bridge is unavailable: stdio servers and the catalog cannot be reached", {}, { cause: error });
  }
}

export function upstreamFor(server: WorkerServer, env: Env): Upstream {
  if (server.transport === "stdio") {
    return {
      name: server.name,
      transport: "streamable-http",
      url: `${settingsOf(env).BRIDGE_URL}/servers/${encodeURIComponent(server.name)}/mcp`,
      headers: bridgeHeaders(env),
      // The bridge enforces the server's timeout; wait a little longer for its clearer answer.
      timeoutMs: server.timeoutMs + 1_000,
      viaBridge: true,
    };
  }
  return { name: server.name, transport: server.transport, url: server.url, headers: server.headers, timeoutMs: server.timeoutMs, viaBridge: false };
}

export async function bridgeStatus(env: Env, timeoutMs: number): Promise<BridgeStatus> {
  const response = await fetch(`${settingsOf(env).BRIDGE_URL}/status`, { headers: bridgeHeaders(env), signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return BridgeStatus.parse(await response.json());
}
