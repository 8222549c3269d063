// The monitoring profile, live: a real Prometheus scrapes a real stack (PostgreSQL, the bridge, the
// worker on workerd, the edge server over stdio as `local` and over Streamable HTTP as `remote`)
// with deploy/monitoring/prometheus.yml's own jobs, paths and auth, and every query of every
// Grafana dashboard panel is run through its HTTP API after real calls: successes, a tool's error,
// a refused call, a crash and restart, an upstream session started again.
// Grafana itself is not here (not in Debian bookworm, and no image registry is reachable): the
// panels' queries go to Prometheus as Grafana would send them, and test/e2e/monitoring.sh checks
// that the panels use the provisioned data source.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.ts";
import { freePort, startEdgeServer, stopProcess } from "../helpers/processes.ts";
import { type PrometheusServer, type Series, startPrometheus, type Target } from "../helpers/prometheus.ts";
import { edgeStdio, startTestStack, type TestStack } from "../helpers/stack.ts";
import { until } from "../helpers/wait.ts";
import { dashboardQueries, type PanelQuery } from "./dashboards.ts";
import { localScrapeConfig, prometheusConfig } from "./scrape-config.ts";

const KEY = "monitoring-test-key-0123456789";
const auth = { authorization: `Bearer ${KEY}` };
const QUERIES = dashboardQueries();

let database: TestDatabase;
let remotePort: number;
let remote: ChildProcess;
let stack: TestStack;
let prometheus: PrometheusServer;
let secrets: string;
let toolCalls = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  remotePort = await freePort();
  remote = await startEdgeServer("http", remotePort);
  stack = await startTestStack(
    { mcpServers: { local: edgeStdio(), remote: { type: "streamable-http", url: `http://127.0.0.1:${remotePort}/mcp` } } },
    { MCP_API_KEY: KEY, DATABASE_URL: database.url, BRIDGE_BACKOFF_MS: "200" },
  );
  await stack.waitUntilHealthy();
  secrets = mkdtempSync(join(tmpdir(), "mcp-proxy-secrets-"));
  writeFileSync(join(secrets, "mcp_api_key"), KEY);
  prometheus = await startPrometheus(
    localScrapeConfig({
      targets: { "mcp-proxy:8000": new URL(stack.url).host },
      files: { "/run/secrets/mcp_api_key": join(secrets, "mcp_api_key") },
      interval: "1s",
    }),
  );
  await untilTargetsUp();
  await makeTraffic();
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await stack?.stop();
  await stopProcess(remote);
  await database?.drop();
  if (secrets) rmSync(secrets, { recursive: true, force: true });
});

async function untilTargetsUp(): Promise<void> {
  let targets: Target[] = [];
  await until(async () => {
    targets = await prometheus.targets();
    return targets.length > 0 && targets.every((target) => target.health === "up");
  }, "the scrape targets to be up").catch(() => {
    throw new Error(`Prometheus' targets are not up: ${targets.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join("; ")}`);
  });
}

async function call(path: string, body: unknown, status: number): Promise<void> {
  const response = await stack.post(path, body, auth);
  expect(response.status, `${path}: ${await response.text()}`).toBe(status);
  toolCalls += 1;
}

async function scraped(expr: string): Promise<number> {
  const [series] = await prometheus.query(expr);
  return series ? Number(series.value[1]) : Number.NaN;
}

/** Waits until Prometheus has scraped every call made so far. */
const untilScraped = () => until(async () => (await scraped("sum(mcp_proxy_tool_calls_total)")) === toolCalls, `Prometheus to scrape ${toolCalls} calls`);

async function round(): Promise<void> {
  await call("/local/echo", { message: "one" }, 200);
  await call("/local/echo", { message: "two" }, 200);
  await call("/local/fail", {}, 422);
  await call("/remote/echo", { message: "one" }, 200);
  await call("/remote/echo", { message: "two" }, 200);
  await call("/nowhere/echo", {}, 404);
  await untilScraped();
}

/**
 * Two rounds, each scraped before the next: rate() needs two samples of a series that moved. Between
 * them the stdio server crashes (and is restarted) and the remote one restarts (its session is gone).
 */
async function makeTraffic(): Promise<void> {
  await round();
  await call("/local/crash", {}, 502);
  await stopProcess(remote);
  remote = await startEdgeServer("http", remotePort);
  await round();
  await until(async () => (await scraped("sum(mcp_proxy_stdio_restarts_total)")) >= 1, "Prometheus to scrape the restart");
  await until(async () => (await scraped("sum(mcp_proxy_upstream_session_reinits_total)")) >= 1, "Prometheus to scrape the session re-init");
  // A series that appeared in the last scrape has one sample, and increase() needs two.
  const scrapes = await scraped("count_over_time(up[10m])");
  await until(async () => (await scraped("count_over_time(up[10m])")) >= scrapes + 2, "two more scrapes");
}

describe("Prometheus on deploy/monitoring/prometheus.yml", () => {
  it("scrapes every configured job on its metrics path, with its bearer token, and finds it up", async () => {
    const configured = prometheusConfig().scrape_configs;
    const jobs = configured.map((job) => job.job_name);
    const targets = await prometheus.targets();
    expect(targets.map((target) => target.labels.job).sort()).toEqual([...jobs].sort());
    for (const target of targets) {
      const path = configured.find((job) => job.job_name === target.labels.job)?.metrics_path ?? "/metrics";
      expect(target, target.lastError).toMatchObject({ health: "up", scrapeUrl: `${stack.url}${path}` });
    }
    const up = await prometheus.query("up");
    expect(up.map((series) => [series.metric.job, series.value[1]]).sort()).toEqual(jobs.map((job) => [job, "1"]).sort());
  });

  it("evaluates every rule without an error", async () => {
    for (const rule of await prometheus.rules()) {
      expect(rule.health, `${rule.name}: ${rule.lastError}`).not.toBe("err");
      await prometheus.query(rule.query);
    }
  });
});

describe.each(QUERIES.map((query) => [`${query.panel} (${query.refId})`, query] as const))("the dashboard panel %s", (_, query) => {
  it("has data, each series carrying the labels its legend names", async () => {
    const series = await prometheus.query(query.expr);
    expect(series, query.expr).not.toEqual([]);
    for (const { metric } of series) for (const label of query.legendLabels) expect(metric, `${query.expr}: {{${label}}}`).toHaveProperty(label);
  });
});

/** The series of a panel's (by title) target. */
async function panelSeries(title: RegExp, refId: string): Promise<Series[]> {
  const query = QUERIES.find((q) => title.test(q.panel) && q.refId === refId) as PanelQuery | undefined;
  if (!query) throw new Error(`no panel titled ${title} with a target ${refId}`);
  return prometheus.query(query.expr);
}

/** The panel's values, keyed by the label that names the server. */
async function byServer(title: RegExp, refId: string, label: string): Promise<Record<string, number>> {
  return Object.fromEntries((await panelSeries(title, refId)).map(({ metric, value }) => [metric[label], Number(value[1])]));
}

describe("what the panels show", () => {
  it("calls per second for each server called, the refused call under (unknown)", async () => {
    const rates = await byServer(/calls per second/i, "A", "server");
    expect(Object.keys(rates).sort()).toEqual(["(unknown)", "local", "remote"]);
    for (const rate of Object.values(rates)) expect(rate).toBeGreaterThan(0);
  });

  it("the error share: some for local (its tool's errors), none for remote, all for the refused calls", async () => {
    const shares = await byServer(/error rate/i, "A", "server");
    expect(shares.local).toBeGreaterThan(0);
    expect(shares.local).toBeLessThan(1);
    expect(shares.remote).toBe(0);
    expect(shares["(unknown)"]).toBe(1);
  });

  it.each([/p50/, /p99/])("call duration %s for each server, in seconds", async (title) => {
    const durations = await byServer(title, "A", "mcp_server");
    for (const server of ["local", "remote"]) {
      expect(durations[server]).toBeGreaterThan(0);
      expect(durations[server]).toBeLessThan(30);
    }
  });

  it("the stdio server's restart, and the bridge up", async () => {
    expect(Object.keys(await byServer(/restarts/i, "A", "server"))).toContain("local");
    expect((await panelSeries(/bridge up/i, "A")).map(({ value }) => value[1])).toEqual(["1"]);
  });

  it("the remote server's session started again", async () => {
    expect(Object.keys(await byServer(/re-inits/i, "B", "mcp_server"))).toContain("remote");
  });
});
