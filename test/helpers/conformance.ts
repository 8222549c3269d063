// @modelcontextprotocol/conformance's server scenarios run by its own CLI against a URL, and the
// conformance server (test/servers/conformance-server.ts) that implements what they call.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";
import { until } from "./wait.ts";

/**
 * The pinned CLI. 0.1.13 is the newest release that runs on Node 20: 0.1.14 and later import
 * `globSync` from node:fs (Node 22), and fail to load on 20. Its server scenarios are those of
 * 0.1.16, check for check (0.1.14–0.1.16 added only client and auth scenarios, and specVersions).
 */
export const CONFORMANCE_CLI = join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const CONFORMANCE_SERVER = join(ROOT, "test/servers/conformance-server.ts");

export interface Check {
  id: string;
  name: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | "SKIPPED";
  errorMessage?: string;
}

export interface ConformanceRun {
  /** The checks of each scenario that ran, by scenario name. */
  scenarios: Map<string, Check[]>;
  /** What the CLI printed, to show when something is off. */
  output: string;
  ms: number;
}

/**
 * Runs every server scenario of the pinned release (`--suite all`: the active ones and the pending
 * ones) against `url`, one CLI process, and reads each scenario's checks.json. The CLI cannot send
 * headers: the URL must answer without a key.
 */
export async function runConformance(url: string, timeoutMs = 180_000): Promise<ConformanceRun> {
  const outputDir = mkdtempSync(join(tmpdir(), "mcp-conformance-"));
  const started = Date.now();
  try {
    const output = await new Promise<string>((resolve) => {
      // It exits 1 when a check fails: the checks say which, so the exit code is not an error here.
      execFile(
        process.execPath,
        [CONFORMANCE_CLI, "server", "--url", url, "--suite", "all", "--output-dir", outputDir],
        { cwd: outputDir, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve(`${stdout}${stderr}${error?.killed ? `\n(killed after ${timeoutMs} ms)` : ""}`),
      );
    });
    const scenarios = new Map<string, Check[]>();
    for (const entry of readdirSync(outputDir)) {
      // server-<scenario>-<ISO time with : and . as ->
      const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(entry)?.[1];
      const file = join(outputDir, entry, "checks.json");
      if (scenario && existsSync(file)) scenarios.set(scenario, JSON.parse(readFileSync(file, "utf8")));
    }
    if (scenarios.size === 0) throw new Error(`the conformance CLI wrote no results:\n${output.slice(-3000)}`);
    return { scenarios, output, ms: Date.now() - started };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

/** A scenario's failed checks, as "Name: message" lines (empty when it passed). */
export const failuresOf = (checks: Check[] | undefined): string[] =>
  checks === undefined
    ? ["(scenario did not run)"]
    : checks.filter((check) => check.status === "FAILURE").map((check) => `${check.name}: ${check.errorMessage ?? ""}`);

/** The catalog entry that runs the conformance server over stdio through the bridge. */
export function conformanceStdio(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: ["--import", "tsx", CONFORMANCE_SERVER, "stdio"], cwd: ROOT, ...extra };
}

/** The conformance server over Streamable HTTP on 127.0.0.1:`port`, answering once it listens. */
export async function startConformanceServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CONFORMANCE_SERVER, "http"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: "ignore",
  });
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`the conformance server exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${port}/mcp`).catch(() => undefined)) !== undefined;
    },
    "the conformance server to listen",
    20_000,
  );
  return child;
}
