// Builds the worker and runs the whole stack on this machine: the bridge and, in front of it, the
// worker served by workerd (or by `wrangler dev` for live reload). Used by `npm start`, `npm run dev`
// and the tests, so they all run what production runs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { workerSettingProblems } from "../functions/settings.ts";
import { BRIDGE_BUNDLE } from "./build-bridge.ts";
import { DOCS_ASSETS_DIR, WORKER_BINDINGS, workerdConfig } from "./workerd-config.ts";

export { buildBridge } from "./build-bridge.ts";

/**
 * The bridge's live data is a few MB; without a bound V8 lets garbage grow its heap to hundreds
 * of MB under load before collecting. 256 MB still fits tool results up to MAX_RESULT_BYTES
 * (32 MiB; one of 64 MB was measured to fit, see docs/architecture.md "Large results").
 * bridges/Dockerfile passes the same.
 */
const BRIDGE_NODE_FLAGS = ["--max-old-space-size=256"];

export const ROOT = resolve(import.meta.dirname, "..");
const BUILD_DIR = join(ROOT, ".build/worker");
const BIN = join(ROOT, "node_modules/.bin");

export interface StackOptions {
  port: number;
  host?: string;
  bridgePort: number;
  /** Catalog file; defaults to the bridge's default (catalog/mcp-servers.json). */
  catalog?: string;
  /** Extra environment for both processes (catalog variables, settings). */
  env?: Record<string, string>;
  /** Serve with `wrangler dev` (live reload) instead of workerd. */
  dev?: boolean;
  /** Where child output goes; "inherit" for a terminal. */
  stdio?: "inherit" | "ignore" | "pipe";
}

export interface Stack {
  url: string;
  bridgeUrl: string;
  bridgeToken: string;
  bridge: ChildProcess;
  worker: ChildProcess;
  /** Start the bridge or the worker again as they were started (same port, same BRIDGE_TOKEN); not stopped by stop(). */
  restart: { bridge(): ChildProcess; worker(): ChildProcess };
  stop(): Promise<void>;
}

/** Settings a process of the stack refuses: starting it would be pointless. */
export class RefusedSettings extends Error {
  override name = "RefusedSettings";
}

/** Bundles the worker as `wrangler deploy` would, without deploying. */
export function buildWorker(): string {
  const result = spawnSync(join(BIN, "wrangler"), ["deploy", "--dry-run", "--outdir", BUILD_DIR, "--config", join(ROOT, "wrangler.toml")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`building the worker failed:\n${result.stdout}\n${result.stderr}`);
  return BUILD_DIR;
}

export const AUTH_SERVICE_BUILD_DIR = join(ROOT, ".build/auth-service");

/** Bundles the auth service (functions/auth-service) as the worker image does. */
export function buildAuthService(): string {
  const config = join(ROOT, "functions/auth-service/wrangler.toml");
  const result = spawnSync(join(BIN, "wrangler"), ["deploy", "--dry-run", "--outdir", AUTH_SERVICE_BUILD_DIR, "--config", config], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`building the auth service failed:\n${result.stdout}\n${result.stderr}`);
  return AUTH_SERVICE_BUILD_DIR;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const host = options.host ?? "127.0.0.1";
  const bridgeToken = options.env?.BRIDGE_TOKEN ?? randomBytes(32).toString("hex");
  const env = stackEnvironment(options, bridgeToken);
  const bridgeUrl = env.BRIDGE_URL!;
  refuseBadSettings(env);
  const stdio = options.stdio ?? "inherit";
  mkdirSync(join(ROOT, ".data"), { recursive: true });

  const restart = {
    bridge: () => spawn(process.execPath, [...BRIDGE_NODE_FLAGS, BRIDGE_BUNDLE], { cwd: ROOT, env, stdio: ["ignore", stdio, stdio] }),
    worker: () => (options.dev ? startWranglerDev(options.port, host, env, stdio) : startWorkerd(options.port, host, env, stdio)),
  };
  const bridge = restart.bridge();
  const children: ChildProcess[] = [bridge];
  const stop = async () => {
    await Promise.all(children.map(terminate));
  };
  try {
    await waitFor(`${bridgeUrl}/status`, { authorization: `Bearer ${bridgeToken}` }, bridge, "the bridge");
    const worker = restart.worker();
    children.push(worker);
    const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${options.port}`;
    await waitFor(`${url}/health`, {}, worker, "the worker");
    return { url, bridgeUrl, bridgeToken, bridge, worker, restart, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What both processes get: the caller's environment, the options' settings, and how to reach the bridge. */
function stackEnvironment(options: StackOptions, bridgeToken: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    BRIDGE_TOKEN: bridgeToken,
    BRIDGE_PORT: String(options.bridgePort),
    BRIDGE_URL: `http://127.0.0.1:${options.bridgePort}`,
    ...(options.catalog ? { MCP_CATALOG: resolve(options.catalog) } : {}),
  };
  // Bound to loopback, answer only to loopback names (DNS rebinding); elsewhere ALLOWED_HOSTS says.
  if (env.ALLOWED_HOSTS === undefined && isLoopback(options.host ?? "127.0.0.1")) env.ALLOWED_HOSTS = LOOPBACK_HOSTS;
  return env;
}

/**
 * Throws RefusedSettings naming each of the worker's bad settings: started with them, it would
 * answer every request with 503. (The bridge refuses its own, exiting with code 2.)
 */
export function checkWorkerSettings(options: StackOptions): void {
  refuseBadSettings(stackEnvironment(options, options.env?.BRIDGE_TOKEN ?? "a token npm start generates"));
}

function refuseBadSettings(env: NodeJS.ProcessEnv): void {
  const problems = workerSettingProblems(env);
  if (problems.length > 0) throw new RefusedSettings(`the worker's settings are wrong: ${problems.join("; ")}`);
}

function startWorkerd(port: number, host: string, env: NodeJS.ProcessEnv, stdio: StackOptions["stdio"]): ChildProcess {
  // One config file per stack: two stacks started together (the tests run two files at a time)
  // would otherwise each start a workerd on whichever config was written last.
  const configPath = join(BUILD_DIR, `workerd-${port}.capnp`);
  const address = `${host}:${port}`;
  writeFileSync(
    configPath,
    workerdConfig({
      bundle: "index.js",
      address,
      wranglerToml: join(ROOT, "wrangler.toml"),
      allow: ["public", "local", "private"],
      docsAssets: DOCS_ASSETS_DIR,
    }),
  );
  return spawn(join(BIN, "workerd"), ["serve", configPath], { cwd: BUILD_DIR, env, stdio: ["ignore", stdio, stdio] });
}

function startWranglerDev(port: number, host: string, env: NodeJS.ProcessEnv, stdio: StackOptions["stdio"]): ChildProcess {
  // The bindings go in an env file (mode 600), not on the command line where `ps` would show secrets.
  const envFile = join(BUILD_DIR, `dev-${port}.env`); // one per stack, as for workerd's config
  mkdirSync(BUILD_DIR, { recursive: true });
  const lines = WORKER_BINDINGS.filter((name) => env[name]).map((name) => `${name}=${JSON.stringify(env[name])}`);
  writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  const args = ["dev", "--port", String(port), "--ip", host, "--show-interactive-dev-session=false", "--env-file", envFile];
  return spawn(join(BIN, "wrangler"), args, { cwd: ROOT, env: { ...env, WRANGLER_SEND_METRICS: "false" }, stdio: ["ignore", stdio, stdio] });
}

export const LOOPBACK_HOSTS = "localhost,127.0.0.1,[::1]";

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Polls a URL until it answers (any status), failing fast if the process dies first. */
async function waitFor(url: string, headers: Record<string, string>, child: ChildProcess, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited during start-up (code ${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s. */
export function terminate(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      done();
    });
    child.kill("SIGTERM");
  });
}
