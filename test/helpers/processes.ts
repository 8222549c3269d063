// Ports and child processes for tests: every test server binds to 127.0.0.1 only.
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { BRIDGE_BUNDLE } from "../../scripts/build-bridge.ts";
import { ROOT } from "../../scripts/stack.ts";

import { freePort } from "../../scripts/free-port.ts";
import { edgeServerCommand, seedPglite } from "./prebuilt.ts";

export { freePort };

/** The edge server over HTTP (Streamable HTTP or SSE), answering once its port accepts. */
export async function startEdgeServer(mode: "http" | "sse", port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...edgeServerCommand(), mode], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: "ignore",
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await accepts(port)) return child;
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill();
  throw new Error(`edge server (${mode}) did not listen on ${port}`);
}

export function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGKILL");
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface BridgeProcess {
  url: string;
  token: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** The bridge alone (the bundle the global setup built, as `npm start` runs it), on a free port, answering once /status does. */
export async function startBridge(env: Record<string, string>): Promise<BridgeProcess> {
  const port = await freePort();
  const token = env.BRIDGE_TOKEN ?? "test-token-0123456789abcdef";
  if (env.MCP_DATA_DIR && !env.DATABASE_URL) seedPglite(env.MCP_DATA_DIR);
  const child = spawn(process.execPath, [BRIDGE_BUNDLE], {
    cwd: ROOT,
    env: { ...process.env, BRIDGE_TOKEN: token, BRIDGE_PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bridge exited: ${output}`);
    if (
      await fetch(`${url}/status`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return { url, token, child, output: () => output, stop: () => stopProcess(child) };
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await stopProcess(child);
  throw new Error(`the bridge did not answer: ${output}`);
}
