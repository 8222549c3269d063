// A free TCP port on loopback, for the tests and the benchmark to start servers on. Chosen below
// the kernel's ephemeral range (32768–60999 on Linux): a port the kernel hands out for `listen(0)`
// can be taken, before the server binds it, as the local port of any outgoing connection, which a
// loaded test run makes by the thousand (seen as a worker that exits on start-up or never answers).
import { createServer } from "node:net";

const LOW = 20_000;
const HIGH = 32_768;
/** Ports already handed out by this process: two stacks started together never get the same one. */
const given = new Set<number>();

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (given.has(port) || !(await bindable(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH}`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
