// Cross-site requests. A browser names the page that sent a request in Origin: the proxy's own
// pages (/docs) and the origins in CORS_ALLOW_ORIGINS may call it, any other page is refused
// before anything runs. Allowed origins get CORS answers, preflights included (a preflight
// carries no key, so it is answered before authentication).
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { type AppEnv, settingsOf } from "../env.ts";
import { ProxyError } from "../errors.ts";

export function checkOrigin(): MiddlewareHandler<AppEnv> {
  const answerCors = cors({
    origin: (origin, c) => (allowedOrigins(c).has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "DELETE"],
    // A browser MCP client must read the session id and the protocol's challenges.
    exposeHeaders: ["WWW-Authenticate", "Mcp-Session-Id", "X-Request-Id"],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    if (allowedOrigins(c).has(origin)) return answerCors(c, next);
    if (isOwn(origin, new URL(c.req.url).host)) return next();
    throw new ProxyError(
      403,
      "origin_not_allowed",
      `Requests from the web page at '${origin.slice(0, 100)}' are refused: add its origin to CORS_ALLOW_ORIGINS if it may call this proxy`,
    );
  };
}

const NONE: ReadonlySet<string> = new Set();

function allowedOrigins(c: Context<AppEnv>): ReadonlySet<string> {
  return settingsOf(c.env).CORS_ALLOW_ORIGINS ?? NONE;
}

/** The page was served by this proxy under the name it was asked for (the Host check vouches for that name). */
function isOwn(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) and anything unparsable
  }
}
