// The identity settings (functions/settings.ts parses and checks them): a gateway mode with no way
// to prove a user fails closed, on every request.
import { type Env, settingsOf } from "../env.ts";

export interface AuthSettings {
  gatewayMode: boolean;
  gatewaySecret: string;
  /** OPENWEBUI_JWT_SECRET as the HS256 key, when set. */
  openWebUiJwtKey?: Uint8Array;
  apiKey?: string;
  adminGroup: string;
  grantsTtlMs: number;
}

/** Throws the 503 that names every bad setting. */
export function authSettings(env: Env): AuthSettings {
  const settings = settingsOf(env);
  return {
    gatewayMode: settings.API_GATEWAY_MODE,
    gatewaySecret: settings.API_GATEWAY_SECRET ?? "",
    ...(settings.OPENWEBUI_JWT_SECRET ? { openWebUiJwtKey: settings.OPENWEBUI_JWT_SECRET } : {}),
    ...(settings.MCP_API_KEY ? { apiKey: settings.MCP_API_KEY } : {}),
    adminGroup: settings.ADMIN_GROUP,
    grantsTtlMs: settings.GRANTS_TTL_SECONDS * 1_000,
  };
}
