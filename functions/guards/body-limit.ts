// Request bodies over MAX_BODY_BYTES get 413, answered so that the client actually sees it.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { numberSetting, type AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export function limitBody(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const maxSize = maxBodyBytes(c.env.MAX_BODY_BYTES);
    return bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) })(c, next);
  };
}

function maxBodyBytes(setting: string | undefined): number {
  return numberSetting(setting, DEFAULT_MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES;
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
