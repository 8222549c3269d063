// Catalog text → validated, interpolated servers. Pure: no file system, no process.
import type { z } from "zod";
import { CatalogFile, RemoteServerEntry, ServerName, StdioServerEntry } from "./file.ts";
import { interpolate, type Environment } from "./interpolate.ts";
import { DEFAULT_TIMEOUT_MS, type Catalog, type CatalogServer } from "./servers.ts";

/** A catalog that cannot be used; the message names the file, the server and the field. */
export class CatalogError extends Error {
  override name = "CatalogError";
}

export interface ParseOptions {
  /** Shown in messages. */
  file: string;
  env: Environment;
}

export function parseCatalog(text: string, { file, env }: ParseOptions): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const root = CatalogFile.safeParse(json);
  if (!root.success) throw new CatalogError(`${file}: ${describeIssues(root.error, [])}`);

  const servers = Object.entries(root.data.mcpServers).map(([name, entry]) => parseServer(name, entry, { file, env }));
  return { file, servers };
}

function parseServer(name: string, entry: unknown, { file, env }: ParseOptions): CatalogServer {
  const fail = (detail: string): never => {
    throw new CatalogError(`${file}: server "${name}": ${detail}`);
  };
  const nameCheck = ServerName.safeParse(name);
  if (!nameCheck.success) fail(`the name ${nameCheck.error.issues[0]?.message}`);

  const type = (entry as { type?: unknown } | null)?.type;
  if (type !== undefined && !["stdio", "streamable-http", "sse"].includes(type as string)) {
    fail(`field "type": must be "stdio", "streamable-http" or "sse", not ${JSON.stringify(type)}`);
  }
  const schema = isRemote(entry) ? RemoteServerEntry : StdioServerEntry;
  const parsed = schema.safeParse(entry);
  if (!parsed.success) fail(describeIssues(parsed.error, []));
  const written = parsed.data as z.infer<typeof schema>;

  const { value, missing } = interpolate(written, env);
  const reason =
    written.enabled === false ? "disabled in the catalog" : missing.length > 0 ? `needs ${missing.join(", ")} (not set in the environment)` : undefined;
  const summary = {
    name,
    title: written.title ?? name,
    description: written.description ?? "",
    enabled: reason === undefined,
    ...(reason === undefined ? {} : { disabledReason: reason }),
    timeoutMs: written.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };

  if ("url" in value) {
    if (reason === undefined && !isHttpUrl(value.url)) {
      fail(`field "url": "${value.url}" is not an http(s) URL`);
    }
    return { ...summary, transport: value.type, url: value.url, headers: value.headers ?? {} };
  }
  return {
    ...summary,
    transport: "stdio",
    command: value.command,
    args: value.args ?? [],
    env: value.env ?? {},
    ...(value.cwd === undefined ? {} : { cwd: value.cwd }),
    ...(value.idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds: value.idleTimeoutSeconds }),
  };
}

function isRemote(entry: unknown): boolean {
  if (!entry || typeof entry !== "object") return false;
  const { type, url } = entry as { type?: unknown; url?: unknown };
  return type === "streamable-http" || type === "sse" || (type === undefined && url !== undefined);
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function describeIssues(error: z.ZodError, prefix: (string | number)[]): string {
  return error.issues
    .map((issue) => {
      const path = [...prefix, ...issue.path].map(String);
      const where = path.length > 0 ? `field "${path.join(".")}"` : "the entry";
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}
