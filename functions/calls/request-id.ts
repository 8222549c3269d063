// Every request has an id: the caller's X-Request-Id when it is a sane one (so a gateway's id
// follows the call into our log and audit trail), else a new one; every answer echoes it.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** Short enough for a log line, and nothing that could break one or a header. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | undefined | null): string {
  return header && SANE_ID.test(header) ? header : crypto.randomUUID();
}

/** The first middleware, so that every answer, the refusals and errors included, carries the id. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = requestIdOf(c.req.header(REQUEST_ID_HEADER));
    c.set("requestId", id);
    await next();
    try {
      c.res.headers.set(REQUEST_ID_HEADER, id);
    } catch {
      // a fetched answer passed through (the /docs files) has immutable headers
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(REQUEST_ID_HEADER, id);
    }
  };
}
