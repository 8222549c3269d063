// A request's JSON body read straight from Node's stream. Through the Fetch API (Hono's
// c.req.json(), which builds a Web Request with its streams and AbortSignal) it cost more of the
// bridge's CPU per tool call than everything else the bridge does.
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import type { IncomingMessage } from "node:http";

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

export async function readJsonBody(c: Context<{ Bindings: HttpBindings }>, maxBytes: number): Promise<JsonBody> {
  const declared = Number(c.req.header("content-length"));
  const text = declared > maxBytes ? undefined : await readLimited(c.env.incoming, maxBytes);
  if (text === undefined) return { ok: false, status: 413, message: `body larger than ${maxBytes} bytes` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: "Parse error: body is not JSON" };
  }
}

/** The body as text, or undefined once it passes `maxBytes` (the rest is left unread). */
async function readLimited(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
