// Reading JSON-RPC answers from an MCP HTTP response: plain JSON or an SSE stream.
import { EventSourceParserStream } from "eventsource-parser/stream";
import { RpcError } from "../errors.ts";

export const PROTOCOL_VERSION = "2025-11-25";
/** The last protocol version that defined the HTTP+SSE transport. */
export const PROTOCOL_VERSION_SSE = "2024-11-05";
export const CLIENT_INFO = { name: "mcp-proxy", version: "0.1.0" };

export type RequestId = string | number;

export interface RpcResponse {
  jsonrpc: "2.0";
  id: RequestId | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

let nextId = 1;
export function newRequestId(): number {
  nextId = nextId >= Number.MAX_SAFE_INTEGER ? 1 : nextId + 1;
  return nextId;
}

export function rpcRequest(id: RequestId, method: string, params?: unknown): string {
  return JSON.stringify(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params });
}

export function rpcNotification(method: string): string {
  return JSON.stringify({ jsonrpc: "2.0", method });
}

/** The result of the response to `id`, or the upstream's JSON-RPC error thrown as an RpcError. */
export function resultOf(message: RpcResponse): Record<string, unknown> {
  if (message.error) throw new RpcError(message.error.code, message.error.message, message.error.data);
  return message.result ?? {};
}

/** Finds the answer to `id` in a Streamable HTTP response body. */
export async function readAnswer(response: Response, id: RequestId): Promise<RpcResponse | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream")) {
    for await (const message of sseMessages(response.body)) {
      if (isAnswerTo(message, id)) return message as RpcResponse;
    }
    return undefined;
  }
  const body: unknown = await response.json();
  const messages = Array.isArray(body) ? body : [body];
  return messages.find((message) => isAnswerTo(message, id)) as RpcResponse | undefined;
}

/** JSON messages of an SSE stream's `message` events; closes the stream when the caller stops. */
export async function* sseEvents(body: ReadableStream<Uint8Array> | null): AsyncGenerator<{ event: string; data: string }> {
  if (!body) return;
  const reader = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield { event: value.event ?? "message", data: value.data };
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function* sseMessages(body: ReadableStream<Uint8Array> | null): AsyncGenerator<unknown> {
  for await (const { event, data } of sseEvents(body)) {
    if (event === "message" && data) yield JSON.parse(data);
  }
}

export function isAnswerTo(message: unknown, id: RequestId): boolean {
  return !!message && typeof message === "object" && (message as RpcResponse).id === id && !("method" in message);
}
