// 3 and 4: 70 configured stdio servers with 15 tools each. First boot (nothing recorded: the
// bridge starts each server once to learn its tools), then a restart with the records in place:
// time to a healthy /health, the OpenAPI document (first request and cached), and the stack's
// resident memory idle, after one call to each server, and after they idle out.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "../../scripts/stack.ts";
import { ROOT } from "../../scripts/stack.ts";
import { until } from "../../scripts/until.ts";
import { callLoad, median, round } from "../lib/load.ts";
import { treeRssMb } from "../lib/memory.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export interface ScaleResult {
  servers: number;
  toolsPerServer: number;
  idleTimeoutSeconds: number;
  /** First boot, empty MCP_DATA_DIR: healthy, and every server's tools recorded. */
  firstBoot: { healthyMs: number; recordedMs: number; specTools: number; specUnlisted: number };
  /** From here on: a restart with the records in place. */
  firstHealthMs: number;
  healthyMs: number;
  specFirstMs: number;
  specTools: number;
  /** Servers the document names as not listed (still being discovered, or failing). */
  specUnlisted: number;
  /** Servers running right after the first /openapi.json: the spec should start none. */
  runningAfterSpec: number;
  specCached: ReturnType<typeof median>;
  rssMb: { idle: number; afterOneCallEach: number; afterIdle: number };
}

export async function scale({ servers = 70, tools = 15, seconds = 5, idleTimeoutSeconds = 5 } = {}): Promise<ScaleResult> {
  const catalog = Object.fromEntries(
    Array.from({ length: servers }, (_, i) => [
      `s${i}`,
      { command: process.execPath, args: [join(ROOT, "bench/servers/many-tools.mjs")], cwd: ROOT, env: { TOOL_COUNT: String(tools) } },
    ]),
  );
  const env = { MCP_DATA_DIR: mkdtempSync(join(tmpdir(), "mcp-bench-scale-")), STDIO_IDLE_TIMEOUT_SECONDS: String(idleTimeoutSeconds) };
  const processes = async (stack: Stack) => {
    const response = await fetch(`${stack.bridgeUrl}/status`, { headers: { authorization: `Bearer ${stack.bridgeToken}` } });
    return Object.values((await response.json()).servers as Record<string, { state: string; known?: boolean }>);
  };
  const states = async (stack: Stack) => (await processes(stack)).map((s) => s.state);
  // `idle` is also the state of a server never started: recorded means known, and stopped again.
  const recorded = async (stack: Stack) => (await processes(stack)).every((s) => s.known === true && s.state === "idle");

  let started = performance.now();
  let stack = await benchStack(catalog, env);
  let firstBoot: ScaleResult["firstBoot"];
  try {
    await waitHealthy(stack.url);
    const healthyMs = round(performance.now() - started);
    // Asked before discovery is done: each server's tools are there, or it is named as unlisted.
    const early = await (await fetch(`${stack.url}/openapi.json`)).json();
    const specTools = Object.keys(early.paths).filter((p) => early.paths[p].post && !p.startsWith("/admin/")).length;
    const specUnlisted = (early["x-mcp-proxy-unlisted-servers"] ?? []).length;
    await until(() => recorded(stack), "every server to be recorded", 300_000);
    firstBoot = { healthyMs, recordedMs: round(performance.now() - started), specTools, specUnlisted };
  } finally {
    await stack.stop();
  }

  started = performance.now();
  stack = await benchStack(catalog, env);
  try {
    const firstHealthMs = round(performance.now() - started);
    await waitHealthy(stack.url);
    const healthyMs = round(performance.now() - started);
    const rss = () => treeRssMb([stack.bridge.pid!, stack.worker.pid!]);
    const idle = rss();

    const t = performance.now();
    const doc = await (await fetch(`${stack.url}/openapi.json`)).json();
    const specFirstMs = round(performance.now() - t);
    const specTools = Object.keys(doc.paths).filter((p) => doc.paths[p].post && !p.startsWith("/admin/")).length;
    const specUnlisted = (doc["x-mcp-proxy-unlisted-servers"] ?? []).length;
    const runningAfterSpec = (await states(stack)).filter((state) => state !== "idle").length;
    const specCached = median([await callLoad(() => fetch(`${stack.url}/openapi.json`).then((r) => r.arrayBuffer()), 1, seconds)]);

    for (let i = 0; i < servers; i += 1) {
      await fetch(`${stack.url}/s${i}/tool_0`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"x"}' }).then((r) =>
        r.text(),
      );
    }
    const afterOneCallEach = rss();
    await until(async () => (await states(stack)).every((state) => state === "idle"), "every server to idle out", (idleTimeoutSeconds + 30) * 1000);
    await new Promise((done) => setTimeout(done, 1_000));
    const afterIdle = rss();
    return {
      servers,
      toolsPerServer: tools,
      idleTimeoutSeconds,
      firstBoot,
      firstHealthMs,
      healthyMs,
      specFirstMs,
      specTools,
      specUnlisted,
      runningAfterSpec,
      specCached,
      rssMb: { idle, afterOneCallEach, afterIdle },
    };
  } finally {
    await stack.stop();
  }
}
