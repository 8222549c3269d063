// 6: the audit trail's cost: the OpenAPI echo path with AUDIT_ENABLED on and off, two stacks on
// the same database, their runs interleaved so that drift on the machine falls on both alike.
import { spawnSync } from "node:child_process";
import { cpuMs } from "../lib/cpu.ts";
import { type Figures, httpLoad, median } from "../lib/load.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export type AuditResult = Record<"on" | "off", ReturnType<typeof median>> & { costPercent: number };

export async function audit({ seconds = 5, runs = 3, connections = 10 } = {}): Promise<AuditResult> {
  const servers = { everything: { command: "mcp-server-everything" } };
  const stacks = { on: await benchStack(servers, { AUDIT_ENABLED: "true" }), off: await benchStack(servers, { AUDIT_ENABLED: "false" }) };
  try {
    await Promise.all(Object.values(stacks).map((stack) => waitHealthy(stack.url)));
    const load = async (mode: "on" | "off"): Promise<Figures> => {
      const { worker, bridge } = stacks[mode];
      const pids = { workerd: () => cpuMs(worker.pid), bridge: () => cpuMs(bridge.pid), postgres: postgresCpuMs };
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
    for (let i = 0; i < runs; i += 1) {
      for (const mode of i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) figures[mode].push(await load(mode));
    }
    const on = median(figures.on);
    const off = median(figures.off);
    return { on, off, costPercent: Math.round((1000 * (off.rps - on.rps)) / off.rps) / 10 };
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
  }
}

/** Every PostgreSQL process's CPU (the audit's INSERTs land there; other clients of the server count too). */
function postgresCpuMs(): number {
  const pids = spawnSync("pgrep", ["-x", "postgres"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  return pids.reduce((sum, pid) => sum + (cpuMs(Number(pid)) ?? 0), 0);
}
