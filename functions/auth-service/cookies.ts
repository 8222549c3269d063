// The two cookies: the session (for COOKIE_DOMAIN, so chat., mcp. and auth. all send it) and the
// sign-in flow (this host only, for 10 minutes).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AuthServiceSettings } from "./settings.ts";

export const SESSION_COOKIE = "__Secure-mcp_session";
export const FLOW_COOKIE = "__Host-mcp_sign_in";
export const FLOW_TTL_SECONDS = 600;

export function setSessionCookie(c: Context, settings: AuthServiceSettings, value: string): void {
  setCookie(c, SESSION_COOKIE, value, { ...sessionScope(settings), maxAge: settings.SESSION_TTL_SECONDS, httpOnly: true, sameSite: "Lax" });
}

export function clearSessionCookie(c: Context, settings: AuthServiceSettings): void {
  deleteCookie(c, SESSION_COOKIE, { ...sessionScope(settings), httpOnly: true, sameSite: "Lax" });
}

function sessionScope(settings: AuthServiceSettings) {
  return { domain: settings.COOKIE_DOMAIN, path: "/", secure: true } as const;
}

/** The cookie from a Cookie header (ForwardAuth passes the client's). */
export function sessionCookieOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function setFlowCookie(c: Context, value: string): void {
  setCookie(c, FLOW_COOKIE, value, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: FLOW_TTL_SECONDS });
}

export function takeFlowCookie(c: Context): string | undefined {
  const value = getCookie(c, FLOW_COOKIE);
  if (value !== undefined) deleteCookie(c, FLOW_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  return value;
}
