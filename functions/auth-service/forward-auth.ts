// GET /verify, Traefik's ForwardAuth: 200 with the user's identity headers for a valid session cookie
// or personal token; else a browser is sent to sign in, and any other client gets 401.
// Traefik must copy exactly these headers to the request it forwards (authResponseHeaders), which
// also replaces any the client sent itself.
import { sessionCookieOf } from "./cookies.ts";
import type { AuthContext } from "./env.ts";
import { type Identity, openIdentity } from "./session.ts";
import type { AuthServiceSettings } from "./settings.ts";

/** What /verify answers with, and so what Traefik's authResponseHeaders must list (compose/team.yml). */
export const IDENTITY_RESPONSE_HEADERS = ["X-User-Email", "X-User-Name", "X-User-Groups", "X-User-Role", "X-Gateway-Secret"] as const;

type IdentityHeader = (typeof IDENTITY_RESPONSE_HEADERS)[number];

export async function verify(c: AuthContext): Promise<Response> {
  const settings = c.get("settings");
  const identity = await identityOf(c, settings);
  if (identity) return c.body(null, 200, identityHeaders(identity, settings));
  if (isBrowserNavigation(c)) return c.redirect(`${settings.AUTH_PUBLIC_URL}/login?rd=${encodeURIComponent(forwardedUrl(c))}`, 302);
  return c.json(
    {
      error: "unauthenticated",
      message: `Sign in at ${settings.AUTH_PUBLIC_URL}/login, or send a personal API token from ${settings.AUTH_PUBLIC_URL}/token as Authorization: Bearer <token>`,
    },
    401,
    { "www-authenticate": 'Bearer realm="mcp-auth"' },
  );
}

/**
 * A valid personal token in Authorization, else a valid session cookie. An Authorization that is not
 * ours (Open WebUI's own API token from the browser) is not a refusal: the cookie may still be valid.
 */
export async function identityOf(c: AuthContext, settings: AuthServiceSettings): Promise<Identity | undefined> {
  const bearer = /^Bearer +(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const fromToken = bearer ? await openIdentity(settings.SESSION_SECRET, "api-token", bearer) : undefined;
  return fromToken ?? (await openIdentity(settings.SESSION_SECRET, "session", sessionCookieOf(c)));
}

/**
 * The name goes percent-encoded (UTF-8): Open WebUI url-decodes its trusted name header, and a header
 * is Latin-1 to most readers. An email or group beyond ASCII goes as its UTF-8 bytes (workerd writes
 * header text as UTF-8), which is how the proxy reads X-User-Email and X-User-Groups. The role is
 * Open WebUI's (WEBUI_AUTH_TRUSTED_ROLE_HEADER): admins are ADMIN_GROUP's members, so whoever signs
 * in first does not become its admin.
 */
function identityHeaders(identity: Identity, settings: AuthServiceSettings): Record<IdentityHeader | "Cache-Control", string> {
  return {
    "X-User-Email": identity.email,
    "X-User-Name": encodeURIComponent(identity.name),
    "X-User-Groups": identity.groups.join(","),
    "X-User-Role": identity.groups.includes(settings.ADMIN_GROUP) ? "admin" : "user",
    "X-Gateway-Secret": settings.API_GATEWAY_SECRET,
    "Cache-Control": "no-store",
  };
}

function isBrowserNavigation(c: AuthContext): boolean {
  const method = (c.req.header("x-forwarded-method") ?? c.req.method).toUpperCase();
  return (method === "GET" || method === "HEAD") && (c.req.header("accept") ?? "").includes("text/html");
}

/** The page the user asked for, as Traefik describes it; login checks it against COOKIE_DOMAIN. */
function forwardedUrl(c: AuthContext): string {
  const proto = c.req.header("x-forwarded-proto") ?? "https";
  const host = c.req.header("x-forwarded-host") ?? "";
  const uri = c.req.header("x-forwarded-uri") ?? "/";
  return `${proto}://${host}${uri.startsWith("/") ? uri : `/${uri}`}`;
}
