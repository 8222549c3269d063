// The bridge's settings, from its environment. It refuses to start without a token.
import { resolve } from "node:path";

export interface BridgeConfig {
  token: string;
  host: string;
  port: number;
  catalogPath: string;
  maxBodyBytes: number;
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
  return {
    token,
    host: env.BRIDGE_HOST || "127.0.0.1",
    port: parsePort(env.BRIDGE_PORT, 8001),
    catalogPath: resolve(env.MCP_CATALOG || DEFAULT_CATALOG),
    maxBodyBytes: Number(env.MAX_BODY_BYTES) || 4 * 1024 * 1024,
  };
}

function parsePort(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`BRIDGE_PORT "${text}" is not a port number`);
  return port;
}
