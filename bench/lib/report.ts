// bench/RESULTS.md from a run's figures (and the previous run's, when there is one).
import type { AuditResult } from "../scenarios/audit.ts";
import type { OverheadResult } from "../scenarios/overhead.ts";
import type { ScaleResult } from "../scenarios/scale.ts";

export interface Run {
  date: string;
  command: string;
  machine: string;
  settings: { seconds: number; runs: number };
  database?: string;
  /** The commit measured. */
  revision?: string;
  overhead?: OverheadResult;
  scale?: ScaleResult;
  permissions?: Record<"cached" | "uncached", { rps: number; p50: number; p99: number; errors: number }>;
  audit?: AuditResult;
}

const f = (n: number | undefined, digits = 2) => (n === undefined ? "–" : Number(n.toFixed(digits)).toString());
const mark = (ok: boolean) => (ok ? "✓" : "✗");

export function renderReport(run: Run, previous?: Run): string {
  const lines = [
    `# Benchmark results`,
    "",
    `- date: ${run.date}${run.revision ? `, commit ${run.revision}` : ""}`,
    `- machine: ${run.machine}`,
    `- command: \`${run.command}\``,
    `- database behind the proxy: ${run.database ?? "PGlite"}`,
    `- each figure: median of ${run.settings.runs} runs of ${run.settings.seconds} s after a warm-up; rps spread = min–max of the runs; latencies timed per response`,
    "",
  ];
  if (previous)
    lines.push(
      `- "previous": the run of ${previous.date}${previous.revision ? ` at ${previous.revision}` : ""} (${previous.machine}, \`${previous.command}\`)`,
      "",
    );
  if (run.overhead) lines.push(...overheadTable(run.overhead, previous?.overhead));
  if (run.scale) lines.push(...scaleTable(run.scale, previous?.scale));
  if (run.permissions) {
    const { cached, uncached } = run.permissions;
    lines.push("## 5. Permissions path (gateway user, concurrency 10)", "", "| grants | calls/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|");
    lines.push(`| cached (GRANTS_TTL_SECONDS=60) | ${cached.rps} | ${f(cached.p50)} | ${f(cached.p99)} | ${cached.errors} |`);
    lines.push(`| looked up per call (GRANTS_TTL_SECONDS=0) | ${uncached.rps} | ${f(uncached.p50)} | ${f(uncached.p99)} | ${uncached.errors} |`, "");
  }
  if (run.audit) lines.push(...auditTable(run.audit));
  return lines.join("\n");
}

function auditTable({ on, off, costPercent, pairCosts }: AuditResult): string[] {
  return [
    "## 6. Audit trail (OpenAPI `POST /everything/echo`, concurrency 10)",
    "",
    "| audit | calls/s (spread) | p50 ms | p99 ms | errors | CPU µs/call: workerd, bridge, PostgreSQL, whole machine |",
    "|---|---|---|---|---|---|",
    ...(
      [
        ["on (AUDIT_ENABLED=true, the default)", on],
        ["off (AUDIT_ENABLED=false)", off],
      ] as const
    ).map(
      ([label, fig]) =>
        `| ${label} | ${fig.rps} (${fig.rpsSpread.join("–")}) | ${f(fig.p50)} | ${f(fig.p99)} | ${fig.errors} | ${fig.cpuUs?.workerd ?? "–"}, ${fig.cpuUs?.bridge ?? "–"}, ${fig.cpuUs?.postgres ?? "–"}, ${fig.cpuUs?.machine ?? "–"} |`,
    ),
    "",
    `Cost of the audit: ${costPercent} % of throughput (target ≤ 5 %) ${mark(costPercent <= 5)}: the median of ${pairCosts.length} pairs of runs, on and off back to back (each pair's: ${pairCosts.join(", ")} %)`,
    "",
    cpuCost(on.cpuUs, off.cpuUs),
    "",
  ];
}

/** What the audit adds to each call's CPU, against all the machine spends on a call without it: the cost in a CPU-bound run, steadier than the calls/s. */
function cpuCost(on: Record<string, number> = {}, off: Record<string, number> = {}): string {
  const parts = (["workerd", "bridge", "postgres"] as const).map((name) => [name, (on[name] ?? 0) - (off[name] ?? 0)] as const);
  const added = parts.reduce((sum, [, us]) => sum + us, 0);
  const machine = off.machine ?? 0;
  const share = machine > 0 ? `, ${Math.round((1000 * added) / machine) / 10} % of the ${machine} µs the whole machine spends per call without it` : "";
  return `CPU the audit adds per call (medians): ${parts.map(([name, us]) => `${name} ${us >= 0 ? "+" : ""}${us}`).join(", ")} = ${added} µs${share}.`;
}

const PATH_LABELS = {
  direct: "direct (stdio, SDK client)",
  proxy: "proxy, OpenAPI: `POST /everything/echo`",
  mcp: "proxy, MCP: `POST /mcp` tools/call `everything_echo`",
  mcpModern: "proxy, MCP 2026-07-28: the same tools/call with the `_meta` envelope",
  bridge: "bridge alone (Streamable HTTP)",
  supergateway: "supergateway (Streamable HTTP)",
  mcpo: "mcpo (OpenAPI)",
} as const;

function overheadTable(o: OverheadResult, previous?: OverheadResult): string[] {
  const rows = [
    "## 1–2. Tool-call overhead: `echo` of `@modelcontextprotocol/server-everything` over stdio",
    "",
    "| path | conc. | calls/s (spread) | p50 ms | p99 ms | errors | workerd CPU µs/call | bridge CPU µs/call | previous calls/s |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const path of ["direct", "proxy", "mcp", "mcpModern", "bridge", "supergateway", "mcpo"] as const) {
    for (const [c, fig] of Object.entries(o.figures[path] ?? {})) {
      const before = previous?.figures[path]?.[Number(c)]?.rps;
      const cpu = (name: string) => fig.cpuUs?.[name] ?? "–";
      rows.push(
        `| ${PATH_LABELS[path]} | ${c} | ${fig.rps} (${fig.rpsSpread.join("–")}) | ${f(fig.p50)} | ${f(fig.p99)} | ${fig.errors} | ${cpu("workerd")} | ${cpu("bridge")} | ${before ?? "–"} |`,
      );
    }
  }
  const d = o.figures.direct,
    p = o.figures.proxy,
    mcp = o.figures.mcp,
    b = o.figures.bridge,
    s = o.figures.supergateway,
    m = o.figures.mcpo;
  rows.push("", "Targets:", "");
  if (d?.[1] && p?.[1]) {
    const addedP50 = p[1].p50 - d[1].p50,
      addedP99 = p[1].p99 - d[1].p99;
    rows.push(
      `- ${mark(addedP50 <= 1)} concurrency 1, added latency p50 ${f(addedP50)} ms (target ≤ 1), ${mark(addedP99 <= 3)} p99 ${f(addedP99)} ms (target ≤ 3)`,
    );
  }
  // Issue 13: the MCP face costs no more than the OpenAPI face, and adds no more than the OpenAPI face may.
  for (const c of [1, 10, 50]) {
    if (!mcp?.[c] || !p?.[c]) continue;
    rows.push(
      `- ${mark(mcp[c].rps >= p[c].rps)} concurrency ${c}: /mcp ${mcp[c].rps} calls/s ≥ OpenAPI path ${p[c].rps} (target: /mcp throughput ≥ the OpenAPI path's); ${mark(mcp[c].errors === 0)} no errors`,
    );
  }
  if (d?.[1] && mcp?.[1]) {
    const addedP50 = mcp[1].p50 - d[1].p50;
    rows.push(
      `- ${mark(addedP50 <= 1)} concurrency 1, /mcp added latency p50 ${f(addedP50)} ms over the direct stdio call (target ≤ 1); p99 ${f(mcp[1].p99 - d[1].p99)} ms`,
    );
  }
  for (const c of [10, 50]) {
    if (!p?.[c] || !s?.[c] || !m?.[c]) continue;
    rows.push(
      `- ${mark(p[c].rps >= s[c].rps)} concurrency ${c}: proxy ${p[c].rps} calls/s ≥ supergateway ${s[c].rps}; ${mark(p[c].rps >= 2 * m[c].rps)} ≥ 2× mcpo ${m[c].rps}; ${mark(p[c].p50 < s[c].p50 && p[c].p50 < m[c].p50)} lower p50; ${mark(p[c].errors === 0)} no errors`,
    );
    if (b?.[c]) rows.push(`- ${mark(b[c].rps >= 2 * s[c].rps)} concurrency ${c}: bridge alone ${b[c].rps} calls/s ≥ 2× supergateway`);
  }
  rows.push(
    `- ${mark((o.memoryMb.bridge ?? Infinity) < (o.memoryMb.supergateway ?? 0))} resident memory after the load, each with its own server-everything process: bridge ${o.memoryMb.bridge} MB, supergateway ${o.memoryMb.supergateway} MB; whole proxy stack (worker + bridge) ${o.memoryMb.proxyStack} MB; mcpo ${o.memoryMb.mcpo} MB`,
    "",
  );
  return rows;
}

function scaleTable(s: ScaleResult, previous?: ScaleResult): string[] {
  const prev = (value: number | undefined) => (value === undefined ? "–" : f(value));
  return [
    `## 3–4. Scale: ${s.servers} stdio servers × ${s.toolsPerServer} tools`,
    "",
    `First boot with an empty \`MCP_DATA_DIR\`: healthy after ${s.firstBoot?.healthyMs ?? "–"} ms; every server started once, recorded and stopped after ${s.firstBoot?.recordedMs ?? "–"} ms. A spec asked right after start-up listed ${s.firstBoot?.specTools ?? "–"} tools and named ${s.firstBoot?.specUnlisted ?? "–"} servers as still being discovered.`,
    `Below: a restart with the records in place (STDIO_IDLE_TIMEOUT_SECONDS=${s.idleTimeoutSeconds ?? "–"}).`,
    "",
    "| figure | value | previous | target |",
    "|---|---|---|---|",
    `| first answer from /health | ${s.firstHealthMs} ms | ${prev(previous?.firstHealthMs)} | |`,
    `| every server healthy | ${s.healthyMs} ms | ${prev(previous?.healthyMs)} | ${mark(s.healthyMs <= 3000)} ≤ 3000 |`,
    `| /openapi.json first request (${s.specTools} tools, ${s.specUnlisted ?? 0} servers unlisted) | ${s.specFirstMs} ms | ${prev(previous?.specFirstMs)} | ${mark(s.specFirstMs <= 2000)} ≤ 2000 |`,
    `| servers started by that request | ${s.runningAfterSpec ?? "–"} | ${prev(previous?.runningAfterSpec)} | ${mark(s.runningAfterSpec === 0)} 0 |`,
    `| /openapi.json cached p50 / p99 | ${f(s.specCached.p50)} / ${f(s.specCached.p99)} ms | ${prev(previous?.specCached.p50)} | ${mark(s.specCached.p50 <= 5)} p50 ≤ 5 |`,
    `| resident memory, idle | ${s.rssMb.idle} MB | ${prev(previous?.rssMb.idle)} | ${mark(s.rssMb.idle <= 250)} ≤ 250 |`,
    `| after one call to each | ${s.rssMb.afterOneCallEach} MB | ${prev(previous?.rssMb.afterOneCallEach)} | |`,
    `| after they idle out | ${s.rssMb.afterIdle} MB | ${prev(previous?.rssMb.afterIdle)} | |`,
    "",
  ];
}
