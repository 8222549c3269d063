// The portal's CSRF defence, two checks on every change:
// - Origin: a browser names the page that sent a POST; only the proxy's own pages may change
//   permissions (not even the origins in CORS_ALLOW_ORIGINS, which may call the API).
// - A token in the form: an HMAC of the caller's identity and the day (UTC), keyed by
//   BRIDGE_TOKEN, a secret the worker already has and a browser never sees. It needs no
//   session store and ties a form to the admin it was served to; it is valid that day and the next.
import type { Access } from "../auth/access.ts";
import { callerKey } from "../auth/identity.ts";
import { type Env, settingsOf } from "../env.ts";
import { ProxyError } from "../errors.ts";

export const CSRF_FIELD = "csrf";
const DAY_MS = 86_400_000;

function secretOf(env: Env): string {
  const secret = settingsOf(env).BRIDGE_TOKEN;
  if (!secret) throw new ProxyError(503, "misconfigured", "The admin portal's forms need BRIDGE_TOKEN to sign them");
  return secret;
}

async function sign(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message));
  return [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function tokenFor(secret: string, access: Access, day: number): Promise<string> {
  return sign(secret, `mcp-proxy portal\n${callerKey(access.caller)}\n${day}`);
}

export function csrfToken(env: Env, access: Access): Promise<string> {
  return tokenFor(secretOf(env), access, Math.floor(Date.now() / DAY_MS));
}

/** Refuses (403) a change from another site's page or without this caller's token. */
export async function checkCsrf(env: Env, access: Access, request: Request, token: string | undefined): Promise<void> {
  const origin = request.headers.get("origin");
  if (origin !== null && !sameHost(origin, request.url))
    throw new ProxyError(403, "origin_not_allowed", "Changes are accepted only from the portal's own pages");
  const today = Math.floor(Date.now() / DAY_MS);
  const secret = secretOf(env);
  const valid = await Promise.all([today, today - 1].map((day) => tokenFor(secret, access, day)));
  if (token === undefined || !valid.includes(token))
    throw new ProxyError(403, "forbidden", "The form's token is missing or stale: reload the page and try again");
}

/** `origin` (or a page's URL) is this proxy's, judged by host as guards/origins.ts: behind a TLS-terminating gateway the scheme differs. */
export function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    return false;
  }
}
