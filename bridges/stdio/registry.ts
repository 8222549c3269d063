// Every enabled stdio server of the catalog, each with its process and its HTTP sessions.
import { isAbsolute, resolve } from "node:path";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { SessionRegistry } from "./mcp-endpoint.ts";
import { StdioServerProcess, type ProcessOptions, type ProcessStatus } from "./server-process.ts";

export interface StdioEntry {
  process: StdioServerProcess;
  sessions: SessionRegistry;
}

export interface ServerHealth extends ProcessStatus {
  latencyMs?: number;
}

export class StdioRegistry {
  private readonly entries = new Map<string, StdioEntry>();

  constructor(servers: StdioServer[], catalogDir: string, options: Omit<ProcessOptions, "cwd">) {
    for (const server of servers) {
      if (!server.enabled) continue;
      const cwd = server.cwd === undefined ? catalogDir : isAbsolute(server.cwd) ? server.cwd : resolve(catalogDir, server.cwd);
      this.entries.set(server.name, { process: new StdioServerProcess(server, { ...options, cwd }), sessions: new SessionRegistry() });
    }
  }

  get(name: string): StdioEntry | undefined {
    return this.entries.get(name);
  }

  /** Starts every server in the background; failures are reported by status(), not thrown. */
  startAll(): void {
    for (const { process } of this.entries.values()) process.start().catch(() => {});
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
