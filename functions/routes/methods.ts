// A method a route does not have: 405 with Allow naming the ones it has (RFC 9110), not 404;
// OPTIONS answers with the same list. Unknown paths stay 404 (the app's notFound).
import type { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";

/** Call after every route is registered: the methods come from the routes themselves. */
export function answerOtherMethods(app: Hono<AppEnv>): void {
  for (const [path, methods] of methodsByPath(app)) {
    const allow = [...methods, ...(methods.has("GET") ? ["HEAD"] : [])].sort();
    app.all(path, (c) => {
      if (c.req.method === "OPTIONS") return c.body(null, 204, { allow: [...allow, "OPTIONS"].sort().join(", ") });
      throw new ProxyError(
        405,
        "method_not_allowed",
        `${c.req.method} is not allowed on ${c.req.path}: use ${allow.join(" or ")}`,
        {},
        { headers: { allow: allow.join(", ") } },
      );
    });
  }
}

function methodsByPath(app: Hono<AppEnv>): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  for (const { path, method } of app.routes) {
    if (method === "ALL" || path === "*" || path === "/*") continue; // middleware
    byPath.set(path, (byPath.get(path) ?? new Set()).add(method));
  }
  return byPath;
}
