// 6: the audit trail's cost: the OpenAPI echo path with AUDIT_ENABLED on and off, two stacks on
// the same database. On this shared machine throughput drifts by ±10 % within a minute, more than
// the cost to measure, so the runs come in pairs, on and off back to back (in alternating order),
// and the cost is the median of the pairs' own differences: drift falls on both halves of a pair.
import { spawnSync } from "node:child_process";
import { cpuMs, machineBusyMs } from "../lib/cpu.ts";
import { type Figures, httpLoad, median } from "../lib/load.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export type AuditResult = Record<"on" | "off", ReturnType<typeof median>> & {
  costPercent: number;
  /** Each pair's cost in %, in the order run. */
  pairCosts: number[];
};

export async function audit({ seconds = 5, runs = 3, connections = 10 } = {}): Promise<AuditResult> {
  const servers = { everything: { command: "mcp-server-everything" } };
  const stacks = { on: await benchStack(servers, { AUDIT_ENABLED: "true" }), off: await benchStack(servers, { AUDIT_ENABLED: "false" }) };
  try {
    await Promise.all(Object.values(stacks).map((stack) => waitHealthy(stack.url)));
    const load = async (mode: "on" | "off"): Promise<Figures> => {
      const { worker, bridge } = stacks[mode];
      const pids = { workerd: () => cpuMs(worker.pid), bridge: () => cpuMs(bridge.pid), postgres: postgresCpuMs, machine: machineBusyMs };
      const before = Object.entries(pids).map(([name, read]) => [name, read()] as const);
      const url = `${stacks[mode].url}/everything/echo`;
      const figures = await httpLoad({ url, body: '{"message":"hi"}', headers: { "content-type": "application/json" }, connections, seconds });
      const cpuUs = Object.fromEntries(
        before.map(([name, start]) => [name, Math.round(((pids[name as keyof typeof pids]()! - start!) * 1000) / figures.requests)]),
      );
      return { ...figures, cpuUs };
    };
    const figures: Record<"on" | "off", Figures[]> = { on: [], off: [] };
    await load("on");
    await load("off");
    const pairCosts: number[] = [];
    for (let i = 0; i < PAIRS_PER_RUN * runs; i += 1) {
      for (const mode of i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) figures[mode].push(await load(mode));
      const [on, off] = [figures.on.at(-1)!, figures.off.at(-1)!];
      pairCosts.push(percent(off.rps - on.rps, off.rps));
    }
    return { on: median(figures.on), off: median(figures.off), costPercent: middle(pairCosts), pairCosts };
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
  }
}

/** Pairs for each of BENCH_RUNS: 3 runs make 9 pairs of BENCH_SECONDS each way. */
const PAIRS_PER_RUN = 3;

const percent = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[half]! : Math.round(((sorted[half - 1]! + sorted[half]!) / 2) * 10) / 10;
}

/** Every PostgreSQL process's CPU (the audit's INSERTs land there; other clients of the server count too). */
function postgresCpuMs(): number {
  const pids = spawnSync("pgrep", ["-x", "postgres"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  return pids.reduce((sum, pid) => sum + (cpuMs(Number(pid)) ?? 0), 0);
}
