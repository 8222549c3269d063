// The identity settings, checked on every request: a gateway mode with no way to prove a user
// fails closed.
import { DEFAULT_ADMIN_GROUP } from "../../schema/admin-group.ts";
import { numberSetting, parsedSetting, secretSetting, type Env } from "../env.ts";
import { ProxyError } from "../errors.ts";

export interface AuthSettings {
  gatewayMode: boolean;
  gatewaySecret: string;
  /** OPENWEBUI_JWT_SECRET as the HS256 key, when set. */
  openWebUiJwtKey?: Uint8Array;
  apiKey?: string;
  adminGroup: string;
  grantsTtlMs: number;
}

/** PyJWT, which signs Open WebUI's tokens, warns below 32 bytes for HS256. */
export const MIN_JWT_SECRET_LENGTH = 32;
/** The secret as HS256 key bytes, encoded once rather than per request. */
const jwtKey = parsedSetting((secret) => new TextEncoder().encode(secret));

export function authSettings(env: Env): AuthSettings {
  const gatewayMode = env.API_GATEWAY_MODE === "true";
  const gatewaySecret = secretSetting(env.API_GATEWAY_SECRET);
  const apiKey = secretSetting(env.MCP_API_KEY);
  const jwtSecret = env.OPENWEBUI_JWT_SECRET ?? "";
  if (jwtSecret && jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ProxyError(
      503,
      "misconfigured",
      `OPENWEBUI_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters: the proxy refuses every request until it is`,
    );
  }
  if (gatewayMode && !gatewaySecret && !jwtSecret) {
    throw new ProxyError(
      503,
      "misconfigured",
      "API_GATEWAY_MODE=true needs API_GATEWAY_SECRET or OPENWEBUI_JWT_SECRET: the proxy refuses every request until one is set",
    );
  }
  return {
    gatewayMode,
    gatewaySecret,
    ...(jwtSecret ? { openWebUiJwtKey: jwtKey(jwtSecret) } : {}),
    ...(apiKey ? { apiKey } : {}),
    adminGroup: env.ADMIN_GROUP || DEFAULT_ADMIN_GROUP,
    grantsTtlMs: numberSetting(env.GRANTS_TTL_SECONDS, 10) * 1_000,
  };
}
