// `npm start` as a user runs it, on free ports with a catalog written for the test: piped (as a
// service manager or CI runs it), or under a pseudo-terminal from util-linux's `script` (as in a
// terminal). Either way in a process group (a session, under `script`) of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";
import { freePort } from "./processes.ts";
import { requireCommands } from "./requires.ts";
import { until } from "./wait.ts";

/** The caller's settings that would change what the test sees. */
const SETTINGS = /^(MCP_|API_GATEWAY_|BRIDGE_|DATABASE_URL$|ALLOWED_HOSTS$|CORS_|OPENWEBUI_|ADMIN_|STDIO_|GRANTS_|TOOLS_TTL|MAX_BODY|LOG_)/;

export interface NpmStart {
  base: string;
  bridgePort: number;
  catalogPath: string;
  /** `npm start` itself, or `script` running it. */
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface NpmStartOptions {
  /** Run it under a pseudo-terminal (`script -qfc`): its standard output and error are a terminal. */
  terminal?: boolean;
  env?: Record<string, string>;
}

export async function npmStart(catalog: unknown, { terminal = false, env: extra = {} }: NpmStartOptions = {}): Promise<NpmStart> {
  if (terminal) requireCommands("npm start under a terminal", [{ command: "script", install: "apt-get install util-linux (it has script)" }]);
  const dir = mkdtempSync(join(tmpdir(), "mcp-proxy-npm-start-"));
  const catalogPath = join(dir, "catalog.json");
  writeFileSync(catalogPath, JSON.stringify(catalog));
  const port = await freePort();
  const bridgePort = await freePort();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTINGS.test(name)));
  const env = { ...inherited, PORT: String(port), BRIDGE_PORT: String(bridgePort), MCP_CATALOG: catalogPath, MCP_DATA_DIR: dir, ...extra };
  const child = terminal
    ? spawn("script", ["-qfec", "npm start", "/dev/null"], { cwd: ROOT, env, detached: true, stdio: ["pipe", "pipe", "pipe"] })
    : spawn("npm", ["start"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await until(async () => output.includes("MCP Proxy is up") || child.exitCode !== null, "npm start", 90_000);
  if (!output.includes("MCP Proxy is up")) throw new Error(`npm start failed: ${output.slice(-1000)}`);
  const ours = () => processesWith(`MCP_DATA_DIR=${dir}`);
  const stop = async () => {
    // As Ctrl-C would: a signal to npm start's whole process group (under `script`, not script's own).
    for (const group of new Set([child.pid!, ...ours().map((p) => p.group)])) signal(-group, "SIGTERM");
    await until(async () => exited(child) && ours().length === 0, "npm start to stop", 15_000).catch(() => {
      for (const p of ours()) signal(p.pid, "SIGKILL");
    });
  };
  return { base: `http://127.0.0.1:${port}`, bridgePort, catalogPath, child, output: () => output, stop };
}

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

/** The live processes whose environment holds `entry` (each npm start gets a data directory of its own). */
export function processesWith(entry: string): { pid: number; group: number }[] {
  const found: { pid: number; group: number }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, "utf8").split("\0").includes(entry)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== "Z") found.push({ pid: Number(name), group: Number(group) });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
