// Every enabled stdio server of the catalog, each with its process and its HTTP sessions.
import { isAbsolute, resolve } from "node:path";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { SessionRegistry } from "./mcp-endpoint.ts";
import { StdioServerProcess, type ProcessOptions, type ProcessStatus } from "./server-process.ts";
import type { ServerRecord } from "./server-store.ts";

export interface StdioEntry {
  process: StdioServerProcess;
  sessions: SessionRegistry;
}

export interface ServerHealth extends ProcessStatus {
  latencyMs?: number;
}

export interface RegistryOptions extends Omit<ProcessOptions, "cwd" | "record" | "idleTimeoutMs"> {
  /** Default for servers that do not set `idleTimeoutSeconds`. */
  idleTimeoutSeconds: number;
  recordFor: (server: StdioServer) => ServerRecord;
}

/** How many unknown servers are started at once to learn their tools. */
const DISCOVERY_CONCURRENCY = 2;

export class StdioRegistry {
  private readonly entries = new Map<string, StdioEntry>();

  constructor(servers: StdioServer[], catalogDir: string, { idleTimeoutSeconds, recordFor, ...options }: RegistryOptions) {
    for (const server of servers) {
      if (!server.enabled) continue;
      const cwd = server.cwd === undefined ? catalogDir : isAbsolute(server.cwd) ? server.cwd : resolve(catalogDir, server.cwd);
      const idleTimeoutMs = (server.idleTimeoutSeconds ?? idleTimeoutSeconds) * 1000;
      const process = new StdioServerProcess(server, { ...options, cwd, idleTimeoutMs, record: recordFor(server) });
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
    const queue = [...this.entries.values()].map((entry) => entry.process).filter((process) => !process.isKnown());
    const worker = async () => {
      for (let process = queue.shift(); process; process = queue.shift()) await process.discover().catch(() => {});
    };
    await Promise.all(Array.from({ length: DISCOVERY_CONCURRENCY }, worker));
  }

  async status(pingTimeoutMs: number): Promise<Record<string, ServerHealth>> {
    const rows = await Promise.all(
      [...this.entries].map(async ([name, { process }]): Promise<[string, ServerHealth]> => {
        if (process.state !== "running") return [name, process.status()];
        try {
          const latencyMs = await process.ping(pingTimeoutMs);
          return [name, { ...process.status(), latencyMs: Math.round(latencyMs * 100) / 100 }];
        } catch (error) {
          return [name, { ...process.status(), lastError: `ping failed: ${(error as Error).message}` }];
        }
      }),
    );
    return Object.fromEntries(rows);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map(({ process }) => process.stop()));
  }
}
