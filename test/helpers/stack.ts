// A whole stack (bridge + worker in workerd) on free ports, with a catalog written for the test.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "../../scripts/stack.ts";
import { edgeServerCommand, seedPglite } from "./prebuilt.ts";
import { freePort } from "./processes.ts";
import { until } from "./wait.ts";

export interface TestStack extends Stack {
  /** Everything the bridge and the worker printed so far. */
  output(): string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Waits until /health says every enabled server is up (stdio servers start in the background). */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
}

export async function startTestStack(catalog: unknown, env: Record<string, string> = {}): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-proxy-test-"));
  const catalogPath = join(dir, "catalog.json");
  writeFileSync(catalogPath, typeof catalog === "string" ? catalog : JSON.stringify(catalog, null, 2));
  if (!env.DATABASE_URL) seedPglite(dir);
  // Two ports: freePort never gives one twice (else the bridge could answer the worker's /health).
  const port = await freePort();
  const bridgePort = await freePort();
  const stack = await startStack({
    port,
    bridgePort,
    catalog: catalogPath,
    env: { MCP_DATA_DIR: dir, ...env },
    stdio: "pipe",
  });
  let output = "";
  for (const child of [stack.bridge, stack.worker]) {
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  }
  const waitUntilHealthy = (timeoutMs = 30_000) =>
    until(async () => (await (await fetch(`${stack.url}/health`)).json()).status === "ok", "the stack to be healthy", timeoutMs);
  return {
    ...stack,
    waitUntilHealthy,
    output: () => output,
    get: (path, headers = {}) => fetch(stack.url + path, { headers }),
    post: (path, body, headers = {}) =>
      fetch(stack.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
  };
}

/** A catalog entry that runs the edge server over stdio through the bridge. */
export function edgeStdio(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    command: process.execPath,
    args: [...edgeServerCommand(), "stdio"],
    cwd: join(import.meta.dirname, "../.."),
    ...extra,
  };
}
