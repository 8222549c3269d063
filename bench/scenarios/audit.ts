// 6: the audit trail's cost: the OpenAPI echo path with AUDIT_ENABLED on and off, two stacks on
// the same database, their runs interleaved so that drift on the machine falls on both alike.
import { httpLoad, median } from "../lib/load.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export type AuditResult = Record<"on" | "off", ReturnType<typeof median>> & { costPercent: number };

export async function audit({ seconds = 5, runs = 3, connections = 10 } = {}): Promise<AuditResult> {
  const servers = { everything: { command: "mcp-server-everything" } };
  const stacks = { on: await benchStack(servers, { AUDIT_ENABLED: "true" }), off: await benchStack(servers, { AUDIT_ENABLED: "false" }) };
  try {
    await Promise.all(Object.values(stacks).map((stack) => waitHealthy(stack.url)));
    const load = (url: string) =>
      httpLoad({ url: `${url}/everything/echo`, body: '{"message":"hi"}', headers: { "content-type": "application/json" }, connections, seconds });
    const figures: Record<"on" | "off", Awaited<ReturnType<typeof load>>[]> = { on: [], off: [] };
    await load(stacks.on.url);
    await load(stacks.off.url);
    for (let i = 0; i < runs; i += 1) {
      for (const mode of i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) figures[mode].push(await load(stacks[mode].url));
    }
    const on = median(figures.on);
    const off = median(figures.off);
    return { on, off, costPercent: Math.round((1000 * (off.rps - on.rps)) / off.rps) / 10 };
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
  }
}
