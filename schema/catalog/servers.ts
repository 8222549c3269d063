// What a catalog entry becomes once parsed and interpolated, and the part of it the worker sees.
import { z } from "zod";

export const Transport = z.enum(["stdio", "streamable-http", "sse"]);
export type Transport = z.infer<typeof Transport>;

export const DEFAULT_TIMEOUT_MS = 60_000;

const ServerSummary = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  /** Why the server is off: set exactly when `enabled` is false. */
  disabledReason: z.string().optional(),
  timeoutMs: z.number().int(),
});

/** A stdio server as the worker sees it: the bridge holds the command and its secrets. */
const WorkerStdioServer = ServerSummary.extend({ transport: z.literal("stdio") });

/** A remote server: the worker calls it directly, so it gets the URL and headers. */
export const RemoteServer = ServerSummary.extend({
  transport: z.enum(["streamable-http", "sse"]),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
});

export const WorkerServer = z.discriminatedUnion("transport", [WorkerStdioServer, RemoteServer]);

/** What the bridge's `/catalog` answers. */
export const WorkerCatalog = z.object({
  /** Changes whenever the catalog changes, so caches keyed by it never mix two catalogs. */
  version: z.string(),
  servers: z.array(WorkerServer),
});

export type RemoteServer = z.infer<typeof RemoteServer>;
export type WorkerServer = z.infer<typeof WorkerServer>;
export type WorkerCatalog = z.infer<typeof WorkerCatalog>;

export interface StdioServer extends z.infer<typeof WorkerStdioServer> {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** As written in the catalog (relative to the catalog file), if given. */
  cwd?: string;
  /** Overrides the bridge's default idle timeout for this server. */
  idleTimeoutSeconds?: number;
}

export type CatalogServer = StdioServer | RemoteServer;

export interface Catalog {
  /** The file it came from, for messages. */
  file: string;
  servers: CatalogServer[];
}

/** Strips what only the bridge may know (commands, their environment). */
export function toWorkerServer(server: CatalogServer): WorkerServer {
  if (server.transport !== "stdio") return server;
  const { command: _command, args: _args, env: _env, cwd: _cwd, ...summary } = server;
  return summary;
}
