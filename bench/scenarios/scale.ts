// 3 and 4: 70 configured stdio servers with 15 tools each: time to a healthy /health, the
// OpenAPI document (first request and cached), and the stack's resident memory over time.
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";
import { callLoad, median, round } from "../lib/load.ts";
import { treeRssMb } from "../lib/memory.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export interface ScaleResult {
  servers: number;
  toolsPerServer: number;
  firstHealthMs: number;
  healthyMs: number;
  specFirstMs: number;
  specTools: number;
  specCached: ReturnType<typeof median>;
  rssMb: { idle: number; afterOneCallEach: number; afterIdle: number };
}

export async function scale({ servers = 70, tools = 15, seconds = 5, idleSeconds = 10 } = {}): Promise<ScaleResult> {
  const catalog = Object.fromEntries(
    Array.from({ length: servers }, (_, i) => [`s${i}`, { command: process.execPath, args: [join(ROOT, "bench/servers/many-tools.mjs")], cwd: ROOT, env: { TOOL_COUNT: String(tools) } }]),
  );
  const started = performance.now();
  const stack = await benchStack(catalog);
  try {
    const firstHealthMs = round(performance.now() - started);
    await waitHealthy(stack.url);
    const healthyMs = round(performance.now() - started);
    const rss = () => treeRssMb([stack.bridge.pid!, stack.worker.pid!]);
    const idle = rss();

    let t = performance.now();
    const doc = await (await fetch(`${stack.url}/openapi.json`)).json();
    const specFirstMs = round(performance.now() - t);
    const specTools = Object.keys(doc.paths).filter((p) => doc.paths[p].post && !p.startsWith("/admin/")).length;
    const specCached = median([await callLoad(() => fetch(`${stack.url}/openapi.json`).then((r) => r.arrayBuffer()), 1, seconds)]);

    for (let i = 0; i < servers; i += 1) {
      await fetch(`${stack.url}/s${i}/tool_0`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"x"}' }).then((r) => r.text());
    }
    const afterOneCallEach = rss();
    t = performance.now();
    await new Promise((done) => setTimeout(done, idleSeconds * 1000));
    const afterIdle = rss();
    return { servers, toolsPerServer: tools, firstHealthMs, healthyMs, specFirstMs, specTools, specCached, rssMb: { idle, afterOneCallEach, afterIdle } };
  } finally {
    await stack.stop();
  }
}
