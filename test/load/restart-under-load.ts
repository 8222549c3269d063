// Measures what callers see when a stdio server is killed under load: N callers call a tool in a
// loop, the server's process gets SIGKILL, and every answer is counted until it has been back a
// while. Not a test (no assertion): run it to compare, e.g.
//   node --import tsx test/load/restart-under-load.ts [callers=20]
import { edgeStdio, startTestStack } from "../helpers/stack.ts";

const callers = Number(process.argv[2]) || 20;
const stack = await startTestStack({ mcpServers: { edge: edgeStdio() } }, { BRIDGE_BACKOFF_MS: "1000" });
const bridgeStatus = async () =>
  (await (await fetch(`${stack.bridgeUrl}/status`, { headers: { authorization: `Bearer ${stack.bridgeToken}` } })).json()).servers.edge as {
    state: string;
    pid: number | null;
  };

const counts: Record<string, number> = {};
let phase: "before" | "recovery" | "after" = "before";
let stop = false;
const tally = (what: string) => (counts[`${phase} ${what}`] = (counts[`${phase} ${what}`] ?? 0) + 1);

async function caller(): Promise<void> {
  while (!stop) {
    try {
      const response = await stack.post("/edge/echo", { message: "load" });
      await response.text();
      tally(String(response.status));
    } catch {
      tally("network error");
    }
  }
}

try {
  await stack.post("/edge/echo", { message: "warm" });
  const loops = Array.from({ length: callers }, caller);
  await new Promise((done) => setTimeout(done, 2_000));
  const { pid } = await bridgeStatus();
  phase = "recovery";
  const killedAt = Date.now();
  process.kill(pid!, "SIGKILL");
  while ((await bridgeStatus()).state === "running") await new Promise((done) => setTimeout(done, 20));
  while ((await bridgeStatus()).state !== "running") await new Promise((done) => setTimeout(done, 20));
  const downMs = Date.now() - killedAt;
  phase = "after";
  await new Promise((done) => setTimeout(done, 2_000));
  stop = true;
  await Promise.all(loops);
  console.log(JSON.stringify({ callers, downMs, counts }, null, 2));
} finally {
  await stack.stop();
}
