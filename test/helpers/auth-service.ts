// The auth service (functions/auth-service) served by the real workerd, as the worker image serves it.
// The stack project's global setup bundles it once; a suite outside it gets it bundled on first use.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AUTH_SERVICE_BUILD_DIR, buildAuthService, ROOT, terminate } from "../../scripts/stack.ts";
import { authServiceWorkerdConfig } from "../../scripts/workerd-config.ts";
import { freePort } from "./processes.ts";

export interface AuthServiceProcess {
  url: string;
  port: number;
  /** Everything workerd printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Serves the bundle with these settings (the service's environment, nothing else), once /health
 * answers (any status). `port`: a port chosen beforehand, e.g. to put it in AUTH_PUBLIC_URL and in the
 * issuer's redirect URIs before the service starts; default: a free one.
 */
export async function startAuthService(settings: Record<string, string>, { port: chosen }: { port?: number } = {}): Promise<AuthServiceProcess> {
  if (!existsSync(join(AUTH_SERVICE_BUILD_DIR, "index.js"))) buildAuthService();
  const port = chosen ?? (await freePort());
  // One config file per process: concurrent suites must never start each other's.
  const configPath = join(AUTH_SERVICE_BUILD_DIR, `workerd-${port}.capnp`);
  writeFileSync(configPath, authServiceWorkerdConfig("index.js", `127.0.0.1:${port}`));
  const child = spawn(join(ROOT, "node_modules/.bin/workerd"), ["serve", configPath], {
    cwd: AUTH_SERVICE_BUILD_DIR,
    env: { PATH: process.env.PATH, ...settings },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await answering(`${url}/health`, child, () => output);
  return { url, port, output: () => output, stop: () => terminate(child) };
}

async function answering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the auth service exited during start-up: ${output()}`);
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.body?.cancel().then(() => true) ?? true,
      () => false,
    );
    if (answered) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  await terminate(child);
  throw new Error(`the auth service did not answer ${url}: ${output()}`);
}
