// Reading JSON-RPC answers from an MCP HTTP response: plain JSON or an SSE stream. Messages are
// parsed with the SDK's schemas here, at the edge; everything past this file is typed.
import {
  JSONRPCResponseSchema,
  LATEST_PROTOCOL_VERSION,
  McpError,
  type JSONRPCResponse,
  type RequestId,
  type Result,
} from "@modelcontextprotocol/sdk/types.js";
import { EventSourceParserStream } from "eventsource-parser/stream";

export type { RequestId };
export const PROTOCOL_VERSION = LATEST_PROTOCOL_VERSION;
/** The last protocol version that defined the HTTP+SSE transport. */
export const PROTOCOL_VERSION_SSE = "2024-11-05";
export const CLIENT_INFO = { name: "mcp-proxy", version: "0.1.0" };

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

/** The result of a response, or the upstream's JSON-RPC error thrown as the SDK's McpError. */
export function resultOf(message: JSONRPCResponse): Result {
  if ("error" in message) throw new McpError(message.error.code, message.error.message, message.error.data);
  return message.result;
}

/** The upstream's own words of an McpError, without the SDK's "MCP error <code>: " prefix. */
export function rpcMessage(error: McpError): string {
  const prefix = `MCP error ${error.code}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** What the upstream sends on a request's own stream before answering it. */
export type OnNotification = (message: { method: string; params?: unknown }) => void;

/**
 * Finds the answer to `id` in a Streamable HTTP response body, handing the notifications sent
 * before it to `onNotification`; throws a ZodError if it is not a JSON-RPC response.
 */
export async function readAnswer(response: Response, id: RequestId, onNotification?: OnNotification): Promise<JSONRPCResponse | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream")) {
    for await (const message of sseMessages(response.body)) {
      if (isAnswerTo(message, id)) return JSONRPCResponseSchema.parse(message);
      if (onNotification && isNotification(message)) onNotification(message);
    }
    return undefined;
  }
  const body: unknown = await response.json();
  const messages = Array.isArray(body) ? body : [body];
  const answer = messages.find((message) => isAnswerTo(message, id));
  return answer === undefined ? undefined : JSONRPCResponseSchema.parse(answer);
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

function isNotification(message: unknown): message is { method: string; params?: unknown } {
  return !!message && typeof message === "object" && typeof (message as { method?: unknown }).method === "string" && !("id" in message);
}

/** A response (not a request or notification) whose id is `id`: the candidate to parse. */
export function isAnswerTo(message: unknown, id: RequestId): boolean {
  return !!message && typeof message === "object" && (message as { id?: unknown }).id === id && !("method" in message);
}
