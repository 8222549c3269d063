// Every route but /health: the API key (when set), then who is calling, then what they may use.
// /health asks the same to decide whether to show its details. A request with the gateway's
// correct secret needs no API key: the gateway (Traefik + the auth service) has proven it, and
// its Authorization header carries the user's personal token, not the proxy's key.
import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv, Env } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { accessFor, type Access } from "./access.ts";
import { identify } from "./identity.ts";
import { type AuthSettings, authSettings } from "./settings.ts";

const REALM = 'Bearer realm="mcp-proxy"';

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("access", await accessOf(c.req.raw.headers, c.env));
    await next();
  };
}

/** The caller's access, or the ProxyError (401, 400, 503) that refuses them. */
export async function accessOf(headers: Headers, env: Env): Promise<Access> {
  const settings = authSettings(env);
  if (settings.apiKey && !(await fromTrustedGateway(headers, settings))) await checkApiKey(headers.get("authorization") ?? undefined, settings.apiKey);
  const caller = await identify(headers, settings, settings.apiKey !== undefined);
  return accessFor(caller, env, settings);
}

/** Gateway mode and the gateway's exact secret; a wrong one is refused by identify(). */
async function fromTrustedGateway(headers: Headers, settings: AuthSettings): Promise<boolean> {
  const secret = headers.get("x-gateway-secret")?.trim();
  return settings.gatewayMode && settings.gatewaySecret !== "" && secret !== undefined && (await timingSafeEqual(settings.gatewaySecret, secret));
}

/** RFC 6750: no bearer token (or another scheme) → 401 with a challenge; a wrong one → invalid_token. */
async function checkApiKey(header: string | undefined, apiKey: string): Promise<void> {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? "");
  if (!match)
    throw new ProxyError(
      401,
      "unauthenticated",
      "This proxy needs an API key: Authorization: Bearer <MCP_API_KEY>",
      {},
      { headers: { "www-authenticate": REALM } },
    );
  if (!(await timingSafeEqual(apiKey, match[1]!))) {
    throw new ProxyError(401, "unauthenticated", "The API key is wrong", {}, { headers: { "www-authenticate": `${REALM}, error="invalid_token"` } });
  }
}
