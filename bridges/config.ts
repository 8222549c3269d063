// The bridge's settings, from its environment. It refuses to start without a token.
import { resolve } from "node:path";

export interface BridgeConfig {
  token: string;
  host: string;
  port: number;
  catalogPath: string;
  maxBodyBytes: number;
  /** PostgreSQL; without it the bridge keeps an embedded PGlite database under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  statementTimeoutMs: number;
  adminEmail?: string;
  adminGroup: string;
  /** Stop a stdio server after this long without a call (0: never); catalog entries may override. */
  idleTimeoutSeconds: number;
}

export const DEFAULT_CATALOG = "catalog/mcp-servers.json";
const MIN_TOKEN_LENGTH = 16;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function readBridgeConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  const token = env.BRIDGE_TOKEN ?? "";
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
  const adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  if (adminEmail && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) throw new ConfigError(`ADMIN_EMAIL "${adminEmail}" is not an email address`);
  return {
    token,
    host: env.BRIDGE_HOST || "127.0.0.1",
    port: parsePort(env.BRIDGE_PORT, 8001),
    catalogPath: resolve(env.MCP_CATALOG || DEFAULT_CATALOG),
    maxBodyBytes: Number(env.MAX_BODY_BYTES) || 4 * 1024 * 1024,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir: resolve(env.MCP_DATA_DIR || ".data"),
    statementTimeoutMs: Number(env.SQL_STATEMENT_TIMEOUT_MS) || 5_000,
    ...(adminEmail ? { adminEmail } : {}),
    adminGroup: env.ADMIN_GROUP || "mcp-admins",
    idleTimeoutSeconds: parseSeconds("STDIO_IDLE_TIMEOUT_SECONDS", env.STDIO_IDLE_TIMEOUT_SECONDS, 300),
  };
}

function parsePort(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`BRIDGE_PORT "${text}" is not a port number`);
  return port;
}

function parseSeconds(name: string, text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0) throw new ConfigError(`${name} "${text}" is not a whole number of seconds`);
  return seconds;
}
