// Every route but /health: the API key (when set), then who is calling, then what they may use.
// /health asks the same to decide whether to show its details.
import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv, Env } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { accessFor, type Access } from "./access.ts";
import { identify } from "./identity.ts";
import { authSettings } from "./settings.ts";

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
  if (settings.apiKey) await checkApiKey(headers.get("authorization") ?? undefined, settings.apiKey);
  const caller = await identify(headers, settings, settings.apiKey !== undefined);
  return accessFor(caller, env, settings);
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
