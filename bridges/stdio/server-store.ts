// What a stdio server said about itself (its initialize answer and its tool list), kept on disk so
// the bridge can answer for a server that is not running: the spec never has to spawn them all.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Implementation, ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { log } from "../log.ts";

export interface UpstreamIdentity {
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
}

export interface KnownServer {
  identity: UpstreamIdentity;
  /** The first page of `tools/list`, as the server answered it. */
  tools?: Record<string, unknown>;
}

interface StoredFile extends KnownServer {
  /** Of the command, arguments, environment and directory: another command's answers don't count. */
  fingerprint: string;
  savedAt: string;
}

/** One server's record: read once at start, written (atomically) whenever its answers change. */
export class ServerRecord {
  private known?: KnownServer;
  private readonly file: string;

  constructor(
    dir: string,
    private readonly server: StdioServer,
    private readonly fingerprint = fingerprintOf(server),
  ) {
    this.file = join(dir, `${server.name}.json`);
    this.known = this.read();
  }

  get(): KnownServer | undefined {
    return this.known;
  }

  update(change: Partial<KnownServer>): void {
    const next = { ...this.known, ...change } as KnownServer;
    if (!next.identity || JSON.stringify(next) === JSON.stringify(this.known)) return;
    this.known = next;
    const stored: StoredFile = { ...next, fingerprint: this.fingerprint, savedAt: new Date().toISOString() };
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(stored), { mode: 0o600 });
      renameSync(`${this.file}.tmp`, this.file);
    } catch (error) {
      log.warn(`cannot save what '${this.server.name}' answered: ${(error as Error).message}`);
    }
  }

  private read(): KnownServer | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.file, "utf8")) as StoredFile;
      if (stored.fingerprint !== this.fingerprint || !stored.identity?.serverInfo) return undefined;
      return { identity: stored.identity, ...(stored.tools ? { tools: stored.tools } : {}) };
    } catch {
      return undefined; // never saved, or unreadable: the server will be asked again
    }
  }
}

/** The folder of records, created on first use. */
export function serverRecords(dataDir: string): (server: StdioServer) => ServerRecord {
  const dir = join(dataDir, "stdio-servers");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return (server) => new ServerRecord(dir, server);
}

function fingerprintOf({ command, args, env, cwd }: StdioServer): string {
  return createHash("sha256").update(JSON.stringify({ command, args, env, cwd })).digest("hex");
}
