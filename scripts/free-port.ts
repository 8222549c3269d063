// A free TCP port on loopback, for the tests and the benchmark to start servers on.
import { createServer } from "node:net";

/**
 * Ports already handed out by this process: a test that picks several ports before it starts the
 * servers on them (the team stack's journey picks the auth service's, Open WebUI's and Traefik's
 * first, to write them into each other's settings) must not get one twice, which the kernel,
 * seeing each port free again, may well give.
 */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
