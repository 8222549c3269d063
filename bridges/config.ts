// The bridge's settings, from its environment. It refuses to start without a token.
import { resolve } from "node:path";
import { DEFAULT_ADMIN_GROUP } from "../schema/admin-group.ts";
import { emailKey } from "../schema/email.ts";

export interface BridgeConfig {
  token: string;
  host: string;
  port: number;
  catalogPath: string;
  maxBodyBytes: number;
  /** PostgreSQL; without it the bridge keeps an embedded PGlite database under `dataDir`. */
  databaseUrl?: string;
  /**
   * The tables' owner, used only at start-up: migrations, ADMIN_EMAIL, and the login role of
   * `databaseUrl` (created or updated as a member of mcp_proxy_runtime). Unset: `databaseUrl` does it all.
   */
  databaseOwnerUrl?: string;
  dataDir: string;
  statementTimeoutMs: number;
  adminEmail?: string;
  adminGroup: string;
  /** Stop a stdio server after this long without a call (0: never); catalog entries may override. */
  idleTimeoutSeconds: number;
  /** Largest message a stdio server may send (its tool results); a larger one fails that call only. */
  maxResultBytes: number;
}

export const DEFAULT_CATALOG = "catalog/mcp-servers.json";
const MIN_TOKEN_LENGTH = 16;
/** See docs/architecture.md ("Large results") for what this was measured against. */
export const DEFAULT_MAX_RESULT_BYTES = 32 * 1024 * 1024;
/** Below this even a tool list may not fit. */
const MIN_RESULT_BYTES = 64 * 1024;

/** The bridge's exit code when a setting or the catalog is wrong: restarting it cannot help. */
export const EXIT_REFUSED_CONFIGURATION = 2;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function readBridgeConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  // Trimmed as HTTP trims the header that carries it (the worker does the same).
  const token = (env.BRIDGE_TOKEN ?? "").trim();
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `BRIDGE_TOKEN must be set to a secret of at least ${MIN_TOKEN_LENGTH} characters shared with the worker ` +
        "(e.g. `openssl rand -hex 32`); `npm start` makes one for you.",
    );
  }
  // The worker enforces this too; refusing here stops a misconfigured stack at start-up.
  if (env.API_GATEWAY_MODE === "true" && !env.API_GATEWAY_SECRET && !env.OPENWEBUI_JWT_SECRET) {
    throw new ConfigError(
      "API_GATEWAY_MODE=true needs API_GATEWAY_SECRET (the secret your gateway sends in X-Gateway-Secret) or OPENWEBUI_JWT_SECRET (Open WebUI's FORWARD_USER_INFO_HEADER_JWT_SECRET)",
    );
  }
  const adminEmail = readAdminEmail(env.ADMIN_EMAIL?.trim());
  return {
    token,
    host: env.BRIDGE_HOST || "127.0.0.1",
    port: parsePort(env.BRIDGE_PORT, 8001),
    catalogPath: resolve(env.MCP_CATALOG || DEFAULT_CATALOG),
    maxBodyBytes: Number(env.MAX_BODY_BYTES) || 4 * 1024 * 1024,
    ...databaseUrls(env),
    dataDir: resolve(env.MCP_DATA_DIR || ".data"),
    statementTimeoutMs: Number(env.SQL_STATEMENT_TIMEOUT_MS) || 5_000,
    ...(adminEmail ? { adminEmail } : {}),
    adminGroup: env.ADMIN_GROUP || DEFAULT_ADMIN_GROUP,
    idleTimeoutSeconds: parseSeconds("STDIO_IDLE_TIMEOUT_SECONDS", env.STDIO_IDLE_TIMEOUT_SECONDS, 300),
    maxResultBytes: parseBytes("MAX_RESULT_BYTES", env.MAX_RESULT_BYTES, DEFAULT_MAX_RESULT_BYTES),
  };
}

/** The address as its permission key, the same rule as the worker's (schema/email.ts). */
function readAdminEmail(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const key = emailKey(text);
  if (!key.ok) throw new ConfigError(`ADMIN_EMAIL "${text}" ${key.problem}`);
  return key.email;
}

function databaseUrls(env: NodeJS.ProcessEnv): Pick<BridgeConfig, "databaseUrl" | "databaseOwnerUrl"> {
  const databaseUrl = env.DATABASE_URL || undefined;
  const databaseOwnerUrl = env.DATABASE_OWNER_URL || undefined;
  if (!databaseOwnerUrl) return databaseUrl ? { databaseUrl } : {};
  if (!databaseUrl) throw new ConfigError("DATABASE_OWNER_URL is set but DATABASE_URL is not: DATABASE_URL is the role the proxy queries as");
  for (const [name, url] of [
    ["DATABASE_URL", databaseUrl],
    ["DATABASE_OWNER_URL", databaseOwnerUrl],
  ]) {
    if (!URL.canParse(url!) || !new URL(url!).username) throw new ConfigError(`${name} is not a postgresql://user:password@host/database URL`);
  }
  return { databaseUrl, databaseOwnerUrl };
}

function parsePort(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`BRIDGE_PORT "${text}" is not a port number`);
  return port;
}

function parseBytes(name: string, text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const bytes = Number(text);
  if (!Number.isSafeInteger(bytes) || bytes < MIN_RESULT_BYTES)
    throw new ConfigError(`${name} "${text}" is not a whole number of bytes of at least ${MIN_RESULT_BYTES}`);
  return bytes;
}

function parseSeconds(name: string, text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0) throw new ConfigError(`${name} "${text}" is not a whole number of seconds`);
  return seconds;
}
