// Request bodies over MAX_BODY_BYTES get 413, answered so that the client actually sees it.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppEnv, settingsOf } from "../env.ts";
import { ProxyError } from "../errors.ts";

export function limitBody(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const maxSize = settingsOf(c.env).MAX_BODY_BYTES;
    return bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) })(c, next);
  };
}

/** Over this, an upload is cut off rather than read to its end. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

async function tooLarge(c: Context<AppEnv>, maxSize: number): Promise<Response> {
  // Read the rest of the upload (up to a bound) before answering: a server that answers and closes
  // mid-upload resets the connection, and the client never sees the 413.
  await drain(c.req.raw.body, MAX_DRAIN_BYTES);
  return c.json(new ProxyError(413, "body_too_large", `The body is larger than the ${maxSize} bytes this proxy accepts (MAX_BODY_BYTES)`).toJSON(), 413);
}

async function drain(body: ReadableStream<Uint8Array> | null, limit: number): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read < limit) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } catch {
    // the client went away: nothing left to drain
  } finally {
    reader.releaseLock();
  }
}
