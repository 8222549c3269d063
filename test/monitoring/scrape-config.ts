// deploy/monitoring/prometheus.yml as the test's Prometheus runs it: the same jobs, metrics paths
// and auth, with only what exists inside compose alone swapped for the test's own (target
// addresses, secret files) and the interval shortened so a test need not wait 15 s per scrape.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { ROOT } from "../../scripts/stack.ts";

export const PROMETHEUS_CONFIG = join(ROOT, "deploy/monitoring/prometheus.yml");

export interface LocalScrape {
  /** Each compose address a job scrapes (`mcp-proxy:8000`) → the test's `host:port`. */
  targets: Record<string, string>;
  /** Each file the config reads (`/run/secrets/mcp_api_key`) → the test's. */
  files: Record<string, string>;
  /** Also the timeout: Prometheus refuses a timeout longer than the interval. */
  interval: string;
}

interface ScrapeJob {
  job_name: string;
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
  [key: string]: unknown;
}

export function prometheusConfig(): { scrape_configs: ScrapeJob[]; rule_files?: string[]; [key: string]: unknown } {
  return parse(readFileSync(PROMETHEUS_CONFIG, "utf8"));
}

export function localScrapeConfig({ targets, files, interval }: LocalScrape): string {
  const config = prometheusConfig();
  config.global = { ...(config.global as object), scrape_interval: interval, scrape_timeout: interval };
  config.rule_files = config.rule_files?.map((file) => resolve(dirname(PROMETHEUS_CONFIG), file));
  for (const job of config.scrape_configs) {
    const discovery = Object.keys(job).filter((key) => key.endsWith("_sd_configs"));
    if (discovery.length > 0) throw new Error(`job ${job.job_name}: ${discovery.join(", ")} has no local stand-in here`);
    for (const key of ["scrape_interval", "scrape_timeout"]) if (key in job) job[key] = interval;
    for (const group of job.static_configs ?? []) group.targets = group.targets.map((target) => swap(targets, target, `job ${job.job_name}'s target`));
    replaceFiles(job, files, `job ${job.job_name}`);
  }
  return stringify(config);
}

/** Every `*_file` setting (credentials_file, password_file, …), wherever it is nested. */
function replaceFiles(node: unknown, files: Record<string, string>, where: string): void {
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith("_file") && typeof value === "string") (node as Record<string, unknown>)[key] = swap(files, value, `${where}'s ${key}`);
    else replaceFiles(value, files, where);
  }
}

function swap(map: Record<string, string>, value: string, what: string): string {
  const local = map[value];
  if (local === undefined) throw new Error(`${what} ${value} has no local stand-in: give the test one`);
  return local;
}
