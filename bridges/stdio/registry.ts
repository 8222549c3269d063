// Every enabled stdio server of the catalog, each with its process and its HTTP sessions.
import { isAbsolute, resolve } from "node:path";
import pLimit from "p-limit";
import type { StdioCounts } from "../../schema/bridge-metrics.ts";
import type { StdioServerStatus } from "../../schema/bridge-status.ts";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { SessionRegistry } from "./mcp-endpoint.ts";
import { StdioServerProcess, type ProcessOptions } from "./server-process.ts";
import type { ServerRecord } from "./server-store.ts";

export interface StdioEntry {
  process: StdioServerProcess;
  sessions: SessionRegistry;
}

export interface RegistryOptions extends Omit<ProcessOptions, "cwd" | "record" | "idleTimeoutMs" | "discovery"> {
  /** Default for servers that do not set `idleTimeoutSeconds`. */
  idleTimeoutSeconds: number;
  recordFor: (server: StdioServer) => ServerRecord;
}

/**
 * How many unknown servers are started at once to learn their tools, in the background at start-up
 * or because a tools/list (the worker building its spec) asked for one.
 */
const DISCOVERY_CONCURRENCY = 2;

export class StdioRegistry {
  private readonly entries = new Map<string, StdioEntry>();

  constructor(servers: StdioServer[], catalogDir: string, { idleTimeoutSeconds, recordFor, ...options }: RegistryOptions) {
    const discovery = pLimit(DISCOVERY_CONCURRENCY);
    for (const server of servers) {
      if (!server.enabled) continue;
      const cwd = server.cwd === undefined ? catalogDir : isAbsolute(server.cwd) ? server.cwd : resolve(catalogDir, server.cwd);
      const idleTimeoutMs = (server.idleTimeoutSeconds ?? idleTimeoutSeconds) * 1000;
      const process = new StdioServerProcess(server, { ...options, cwd, idleTimeoutMs, record: recordFor(server), discovery });
      this.entries.set(server.name, { process, sessions: new SessionRegistry() });
    }
  }

  get(name: string): StdioEntry | undefined {
    return this.entries.get(name);
  }

  /**
   * Servers start on first use. Those never seen before (or whose command changed) are started
   * a few at a time in the background to record their tools, then stopped again.
   */
  async discoverUnknown(): Promise<void> {
    const unknown = [...this.entries.values()].map((entry) => entry.process).filter((process) => !process.isKnown());
    await Promise.all(unknown.map((process) => process.discover().catch(() => {})));
  }

  async status(pingTimeoutMs: number): Promise<Record<string, StdioServerStatus>> {
    const rows = await Promise.all(
      [...this.entries].map(async ([name, { process }]): Promise<[string, StdioServerStatus]> => {
        if (process.state !== "running") return [name, process.status()];
        try {
          const latencyMs = await process.ping(pingTimeoutMs);
          return [name, { ...process.status(), latencyMs: Math.round(latencyMs * 100) / 100 }];
        } catch {
          return [name, { ...process.status(), lastError: `did not answer a ping within ${pingTimeoutMs} ms` }];
        }
      }),
    );
    return Object.fromEntries(rows);
  }

  counts(): Record<string, StdioCounts> {
    return Object.fromEntries([...this.entries].map(([name, { process }]) => [name, { ...process.counts }]));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map(({ process }) => process.stop()));
  }
}
