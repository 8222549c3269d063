// GET /health: the worker, the bridge and every server, each with a status and a latency,
// answered within about half a second however slow a dependency is.
import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { bridgeStatus, loadCatalog, upstreamFor, type BridgeStatus } from "../bridge.ts";
import type { Env } from "../env.ts";
import { mcpRequest } from "../mcp/request.ts";
import type { AppContext } from "./context.ts";

const PROBE_TIMEOUT_MS = 400;

const Check = z.object({
  status: z.enum(["ok", "degraded", "down", "disabled", "starting"]),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
  restarts: z.number().int().optional(),
});
type Check = z.infer<typeof Check>;

const HealthReport = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  proxy: Check,
  bridge: Check,
  servers: z.record(z.string(), Check.extend({ transport: z.string() })),
});

export class Health extends OpenAPIRoute {
  override schema = {
    tags: ["proxy"],
    summary: "Status of the proxy, the bridge and each MCP server",
    responses: {
      "200": { description: "Up (possibly degraded)", content: { "application/json": { schema: HealthReport } } },
      "503": { description: "The bridge is down", content: { "application/json": { schema: HealthReport } } },
    },
  };

  override async handle(c: AppContext) {
    const started = performance.now();
    const [bridge, catalog] = await Promise.all([timed(() => bridgeStatus(c.env, PROBE_TIMEOUT_MS)), loadCatalog(c.env).catch(() => undefined)]);
    const status = bridge.ok ? bridge.value : undefined;
    const servers = Object.fromEntries(
      await Promise.all(
        (catalog?.servers ?? []).map(async (server) => [server.name, { transport: server.transport, ...(await checkServer(server, status, c)) }] as const),
      ),
    );
    const bridgeCheck: Check = bridge.ok ? { status: "ok", latencyMs: bridge.latencyMs } : { status: "down", latencyMs: bridge.latencyMs, error: bridge.error };
    const anyDown = Object.values(servers).some((check) => check.status !== "ok" && check.status !== "disabled");
    const overall = !bridge.ok ? "down" : anyDown ? "degraded" : "ok";
    const report = { status: overall, proxy: { status: "ok" as const, latencyMs: round(performance.now() - started) }, bridge: bridgeCheck, servers };
    return c.json(report, overall === "down" ? 503 : 200);
  }
}

async function checkServer(server: WorkerServer, bridge: BridgeStatus | undefined, c: AppContext): Promise<Check> {
  if (!server.enabled) return { status: "disabled", error: server.disabledReason };
  if (server.transport === "stdio") return stdioCheck(bridge?.servers[server.name], bridge !== undefined);
  const ping = await timed(() => pingRemote(server, c.env, c));
  return ping.ok ? { status: "ok", latencyMs: ping.latencyMs } : { status: "down", latencyMs: ping.latencyMs, error: ping.error };
}

function stdioCheck(process: BridgeStatus["servers"][string] | undefined, bridgeUp: boolean): Check {
  if (!process) return { status: "down", error: bridgeUp ? "not known to the bridge" : "the bridge is down" };
  const restarts = process.restarts;
  if (process.state === "running" && process.latencyMs !== undefined) return { status: "ok", latencyMs: process.latencyMs, restarts };
  const status = process.state === "starting" ? "starting" : "down";
  return { status, restarts, error: process.lastError ?? process.state };
}

function pingRemote(server: WorkerServer, env: Env, c: AppContext): Promise<unknown> {
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise.catch(() => {}));
  return mcpRequest(upstreamFor(server, env), "ping", {}, { waitUntil, timeoutMs: PROBE_TIMEOUT_MS });
}

type Timed<T> = { ok: true; value: T; latencyMs: number } | { ok: false; error: string; latencyMs: number };

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  try {
    const value = await work();
    return { ok: true, value, latencyMs: round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error: (error as Error).message, latencyMs: round(performance.now() - started) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
