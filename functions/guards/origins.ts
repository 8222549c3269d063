// Cross-site requests. A browser names the page that sent a request in Origin: the proxy's own
// pages (/docs) and the origins in CORS_ALLOW_ORIGINS may call it, any other page is refused
// before anything runs. Allowed origins get CORS answers, preflights included (a preflight
// carries no key, so it is answered before authentication).
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { parsedSetting, type AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";

export function checkOrigin(): MiddlewareHandler<AppEnv> {
  const answerCors = cors({
    origin: (origin, c) => (allowedOrigins(c.env.CORS_ALLOW_ORIGINS).has(origin) ? origin : null),
    allowMethods: ["GET", "POST"],
    exposeHeaders: ["WWW-Authenticate"],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    if (allowedOrigins(c.env.CORS_ALLOW_ORIGINS).has(origin)) return answerCors(c, next);
    if (isOwn(origin, new URL(c.req.url).host)) return next();
    throw new ProxyError(
      403,
      "origin_not_allowed",
      `Requests from the web page at '${origin.slice(0, 100)}' are refused: add its origin to CORS_ALLOW_ORIGINS if it may call this proxy`,
    );
  };
}

/** "https://chat.example.com, http://localhost:3000" → the origins as browsers write them. */
export const allowedOrigins = parsedSetting(
  (text): ReadonlySet<string> =>
    new Set(
      text
        .split(",")
        .map(normalise)
        .filter((origin): origin is string => origin !== undefined),
    ),
);

function normalise(entry: string): string | undefined {
  try {
    const url = new URL(entry.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The page was served by this proxy under the name it was asked for (the Host check vouches for that name). */
function isOwn(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) and anything unparsable
  }
}
