// An MCP server the worker talks to over HTTP, and how its failures become HTTP answers.
import { ProxyError } from "../errors.ts";
import { readAnswer, type RequestId, type RpcResponse } from "./messages.ts";

export interface Upstream {
  /** The catalog name, for messages. */
  name: string;
  transport: "streamable-http" | "sse";
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Set for stdio servers reached through the bridge: its errors already name the server. */
  viaBridge: boolean;
}

export interface CallContext {
  signal: AbortSignal;
  /** Keeps background work (closing a spare session) alive after the response. */
  waitUntil(promise: Promise<unknown>): void;
}

/** Runs `fetch`, turning network failures and timeouts into errors that name the server. */
export async function fetchUpstream(upstream: Upstream, what: string, input: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    throw transportError(upstream, what, error);
  }
}

export function transportError(upstream: Upstream, what: string, error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const name = (error as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new ProxyError(504, "upstream_timeout", `MCP server '${upstream.name}' did not answer ${what} within ${upstream.timeoutMs} ms`, { server: upstream.name });
  }
  const where = upstream.viaBridge ? "the bridge" : upstream.url;
  return new ProxyError(502, "upstream_unreachable", `MCP server '${upstream.name}' is unreachable (${where}): ${(error as Error)?.message ?? error}`, { server: upstream.name });
}

/** The JSON-RPC answer to `id` in a response, or an error naming the server and what failed. */
export async function answerOf(upstream: Upstream, what: string, response: Response, id: RequestId): Promise<RpcResponse> {
  if (response.ok) {
    let answer: RpcResponse | undefined;
    try {
      answer = await readAnswer(response, id);
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new ProxyError(502, "upstream_protocol", `MCP server '${upstream.name}' answered ${what} with something that is not JSON-RPC: ${error.message}`, { server: upstream.name });
      }
      throw transportError(upstream, what, error);
    }
    if (answer) return answer;
    throw new ProxyError(502, "upstream_protocol", `MCP server '${upstream.name}' sent no answer to ${what}`, { server: upstream.name });
  }
  throw await statusError(upstream, what, response);
}

async function statusError(upstream: Upstream, what: string, response: Response): Promise<ProxyError> {
  const text = (await response.text().catch(() => "")).slice(0, 500);
  if (upstream.viaBridge) {
    const message = bridgeMessage(text);
    const status = response.status === 503 || response.status === 504 ? response.status : 502;
    if (message) return new ProxyError(status, status === 504 ? "upstream_timeout" : "upstream_unavailable", message, { server: upstream.name });
  }
  const hint = response.status === 401 || response.status === 403 ? " (check the credentials in its catalog headers)" : "";
  return new ProxyError(502, "upstream_http_error", `MCP server '${upstream.name}' answered ${what} with HTTP ${response.status}${hint}: ${text}`, {
    server: upstream.name,
  });
}

function bridgeMessage(text: string): string | undefined {
  try {
    return (JSON.parse(text) as RpcResponse).error?.message;
  } catch {
    return undefined;
  }
}
