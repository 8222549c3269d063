// A real Prometheus server (Debian's package, unpacked by scripts/prometheus-bin.sh) on a free
// port with a config written for the test, and its HTTP API: instant queries, targets, rules.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";
import { freePort, stopProcess } from "./processes.ts";
import { until } from "./wait.ts";

export interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Target {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: "up" | "down" | "unknown";
  lastError: string;
}

export interface Rule {
  name: string;
  query: string;
  health: string;
  lastError?: string;
}

export interface PrometheusServer {
  url: string;
  /** An instant query at the current time; throws with Prometheus' own error when it refuses it. */
  query(expr: string): Promise<Series[]>;
  targets(): Promise<Target[]>;
  rules(): Promise<Rule[]>;
  output(): string;
  stop(): Promise<void>;
}

/** The binary's path; scripts/prometheus-bin.sh unpacks it on first use. */
export function prometheusBinary(): string {
  return execFileSync("bash", [join(ROOT, "scripts/prometheus-bin.sh")], { encoding: "utf8" }).trim();
}

export async function startPrometheus(configYaml: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-proxy-prometheus-"));
  const config = join(dir, "prometheus.yml");
  writeFileSync(config, configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    prometheusBinary(),
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`Prometheus exited (${child.exitCode}): ${output}`);
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true;
      },
      "Prometheus to be ready",
      30_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const api = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(url + path)).json()) as { status: string; data: T; errorType?: string; error?: string };
    if (body.status !== "success") throw new Error(`Prometheus ${path}: ${body.errorType}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    query: async (expr) => (await api<{ result: Series[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    targets: async () => (await api<{ activeTargets: Target[] }>("/api/v1/targets")).activeTargets,
    rules: async () => (await api<{ groups: { rules: Rule[] }[] }>("/api/v1/rules")).groups.flatMap((group) => group.rules),
    output: () => output,
    stop,
  };
}
