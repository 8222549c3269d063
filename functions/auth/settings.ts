// The identity settings, checked on every request: a gateway mode without its secret fails closed.
import { numberSetting, type Env } from "../env.ts";
import { ProxyError } from "../errors.ts";

export interface AuthSettings {
  gatewayMode: boolean;
  gatewaySecret: string;
  apiKey?: string;
  adminGroup: string;
  grantsTtlMs: number;
}

export function authSettings(env: Env): AuthSettings {
  const gatewayMode = env.API_GATEWAY_MODE === "true";
  const gatewaySecret = env.API_GATEWAY_SECRET ?? "";
  if (gatewayMode && !gatewaySecret) {
    throw new ProxyError(503, "misconfigured", "API_GATEWAY_MODE=true needs API_GATEWAY_SECRET: the proxy refuses every request until it is set");
  }
  return {
    gatewayMode,
    gatewaySecret,
    ...(env.MCP_API_KEY ? { apiKey: env.MCP_API_KEY } : {}),
    adminGroup: env.ADMIN_GROUP || "mcp-admins",
    grantsTtlMs: numberSetting(env.GRANTS_TTL_SECONDS, 10) * 1_000,
  };
}
