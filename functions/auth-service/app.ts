// The auth service: OpenID Connect sign-in with Entra ID, and Traefik's ForwardAuth (/verify) for
// chat., mcp. and auth. (docs/sign-in.md).
import { Hono } from "hono";
import { clearSessionCookie } from "./cookies.ts";
import { type AuthEnv, Misconfigured, settingsOf } from "./env.ts";
import { identityOf, verify } from "./forward-auth.ts";
import { log } from "./log.ts";
import { endSessionUrl } from "./oidc.ts";
import { homePage, signedOutPage, tokenPage } from "./pages.ts";
import { defaultReturnTo } from "./return-to.ts";
import { seal } from "./session.ts";
import { callback, login } from "./sign-in.ts";

const SECURITY_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
};

export function createApp(): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use(async (c, next) => {
    c.set("settings", settingsOf(c.env));
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/login", login);
  app.get("/callback", callback);
  // Traefik asks with GET; any method is answered the same, should a proxy forward the original one.
  app.all("/verify", verify);
  app.get("/", async (c) => c.html(homePage(await identityOf(c, c.get("settings")), defaultReturnTo(c.get("settings").COOKIE_DOMAIN))));
  app.get("/token", personalToken);
  app.get("/logout", logout);
  app.get("/signed-out", (c) => c.html(signedOutPage()));
  app.notFound((c) => c.json({ error: "not_found", message: "Routes: /login, /callback, /verify, /logout, /signed-out, /token, /, /health" }, 404));
  app.onError((error, c) => {
    if (error instanceof Misconfigured) return c.json({ error: "misconfigured", message: error.message }, 503);
    log("error", "internal_error", { cause: error.message.slice(0, 300) });
    return c.json({ error: "internal_error", message: "The auth service failed; its log says why" }, 500);
  });
  return app;
}

async function personalToken(c: Parameters<typeof verify>[0]): Promise<Response> {
  const settings = c.get("settings");
  const identity = await identityOf(c, settings);
  if (!identity) return c.redirect(`/login?rd=${encodeURIComponent(`${settings.AUTH_PUBLIC_URL}/token`)}`, 302);
  const token = await seal(settings.SESSION_SECRET, "api-token", identity, settings.API_TOKEN_TTL_DAYS * 86_400);
  c.header("Cache-Control", "no-store");
  return c.html(tokenPage(token, `https://mcp.${settings.COOKIE_DOMAIN}`, settings.API_TOKEN_TTL_DAYS));
}

async function logout(c: Parameters<typeof verify>[0]): Promise<Response> {
  const settings = c.get("settings");
  clearSessionCookie(c, settings);
  const issuerLogout = await endSessionUrl(settings).catch((error: unknown) => {
    log("warn", "issuer_unreachable", { cause: (error as Error).message.slice(0, 300) });
    return undefined;
  });
  return c.redirect(issuerLogout?.href ?? "/signed-out", 302);
}
