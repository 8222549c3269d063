// GET /health: the worker, the bridge, the database and every server, each with a status and a latency,
// answered within about half a second however slow a dependency is. A stdio server that is not
// running because nothing called it lately is `idle`, which is healthy: it starts on the next call.
// Anyone gets the overall status and latency (what a container healthcheck needs); the details
// (server names, errors, restarts) need the API key, or an admin in gateway mode.
import { ResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import type { BridgeStatus, StdioServerStatus } from "../../schema/bridge-status.ts";
import { bridgeStatus, loadCatalog, upstreamFor } from "../bridge.ts";
import type { Access } from "../auth/access.ts";
import { accessOf } from "../auth/middleware.ts";
import { sqlFor } from "../db.ts";
import type { Env } from "../env.ts";
import { mcpRequest } from "../mcp-client/request.ts";
import type { AppContext } from "./context.ts";

const PROBE_TIMEOUT_MS = 400;
const HEALTHY = new Set(["ok", "idle", "starting", "disabled"]);

const Check = z.object({
  status: z.enum(["ok", "idle", "degraded", "down", "disabled", "starting"]),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
  restarts: z.number().int().optional(),
});
type Check = z.infer<typeof Check>;

const HealthReport = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  proxy: Check,
  bridge: Check,
  database: Check,
  servers: z.record(z.string(), Check.extend({ transport: z.string() })),
});

const HealthSummary = z.object({ status: HealthReport.shape.status, latencyMs: z.number() });
const HealthAnswer = z.union([HealthReport, HealthSummary]);

export class Health extends OpenAPIRoute {
  override schema = {
    tags: ["proxy"],
    summary: "Status of the proxy, the bridge and each MCP server",
    description:
      "Without credentials: the overall status and latency only. With the API key (or as an admin in gateway mode): every part, with its errors and restarts.",
    responses: {
      "200": { description: "Up (possibly degraded)", content: { "application/json": { schema: HealthAnswer } } },
      "503": { description: "The bridge is down or the proxy is misconfigured", content: { "application/json": { schema: HealthAnswer } } },
    },
  };

  override async handle(c: AppContext) {
    const started = performance.now();
    const details = accessOf(c.req.raw.headers, c.env).then(mayReadDetails, () => false);
    // Every probe starts at once and has its own timeout, so the whole answer takes about one.
    const bridgeProbe = timed(() => bridgeStatus(c.env, PROBE_TIMEOUT_MS));
    const databaseProbe = timed(() => sqlFor(c.env, PROBE_TIMEOUT_MS).query("SELECT 1"));
    const catalog = await loadCatalog(c.env, PROBE_TIMEOUT_MS).catch(() => undefined);
    const serverChecks = (catalog?.servers ?? []).map(
      async (server) => [server.name, { transport: server.transport, ...(await checkServer(server, bridgeProbe, c)) }] as const,
    );
    const [bridge, database, servers] = await Promise.all([bridgeProbe, databaseProbe, Promise.all(serverChecks).then(Object.fromEntries)]);
    const anyDown = Object.values(servers as Record<string, Check>).some((check) => !HEALTHY.has(check.status));
    const overall = !bridge.ok ? "down" : anyDown || !database.ok ? "degraded" : "ok";
    const proxy: Check = { status: "ok", latencyMs: round(performance.now() - started) };
    const status = overall === "down" ? 503 : 200;
    if (!(await details)) return c.json({ status: overall, latencyMs: round(performance.now() - started) }, status);
    return c.json({ status: overall, proxy, bridge: asCheck(bridge), database: asCheck(database), servers }, status);
  }
}

/** The operator, the key's holder, or an admin. */
function mayReadDetails(access: Access): boolean {
  return access.caller.kind !== "user" || access.admin;
}

async function checkServer(server: WorkerServer, bridgeProbe: Promise<Timed<BridgeStatus>>, c: AppContext): Promise<Check> {
  if (!server.enabled) return { status: "disabled", error: server.disabledReason };
  if (server.transport === "stdio") {
    const bridge = await bridgeProbe;
    return stdioCheck(bridge.ok ? bridge.value.servers[server.name] : undefined, bridge.ok);
  }
  return asCheck(await timed(() => pingRemote(server, c.env, c)));
}

function stdioCheck(process: StdioServerStatus | undefined, bridgeUp: boolean): Check {
  if (!process) return { status: "down", error: bridgeUp ? "not known to the bridge" : "the bridge is down" };
  const restarts = process.restarts;
  if (process.state === "running" && process.latencyMs !== undefined) return { status: "ok", latencyMs: process.latencyMs, restarts };
  if (process.state === "idle") return { status: "idle", restarts };
  const status = process.state === "starting" ? "starting" : "down";
  return { status, restarts, error: process.lastError ?? process.state };
}

function pingRemote(server: WorkerServer, env: Env, c: AppContext): Promise<unknown> {
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise.catch(() => {}));
  return mcpRequest(upstreamFor(server, env), "ping", {}, ResultSchema, { waitUntil, timeoutMs: PROBE_TIMEOUT_MS });
}

function asCheck(probe: Timed<unknown>): Check {
  return probe.ok ? { status: "ok", latencyMs: probe.latencyMs } : { status: "down", latencyMs: probe.latencyMs, error: probe.error };
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
