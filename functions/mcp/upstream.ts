// An MCP server the worker talks to over HTTP, and how its failures become HTTP answers.
import { BridgeErrorBody, type BridgeFailureReason } from "../../schema/bridge-error.ts";
import { ProxyError } from "../errors.ts";
import { logCause } from "../log.ts";
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

/** Under `npm start` a crashed bridge is started again, and compose restarts its container: worth a retry. */
function bridgeDown(upstream: Upstream): ProxyError {
  return new ProxyError(
    503,
    "bridge_unavailable",
    `MCP server '${upstream.name}' runs in the bridge, which is down or restarting; try again shortly`,
    { server: upstream.name },
    { "retry-after": "1" },
  );
}

function isTimeout(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

export function transportError(upstream: Upstream, what: string, error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  if (isTimeout(error)) {
    return new ProxyError(504, "upstream_timeout", `MCP server '${upstream.name}' did not answer ${what} within ${upstream.timeoutMs} ms`, {
      server: upstream.name,
    });
  }
  if (upstream.viaBridge) return bridgeDown(upstream);
  // Where and why stay in the log: the address is internal, the cause may name other hosts.
  logCause("upstream_unreachable", `${what} to '${upstream.name}' at ${upstream.url}`, error);
  return new ProxyError(502, "upstream_unreachable", `MCP server '${upstream.name}' is unreachable`, { server: upstream.name });
}

/** The JSON-RPC answer to `id` in a response, or an error naming the server and what failed. */
export async function answerOf(upstream: Upstream, what: string, response: Response, id: RequestId): Promise<RpcResponse> {
  if (response.ok) {
    let answer: RpcResponse | undefined;
    try {
      answer = await readAnswer(response, id);
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new ProxyError(502, "upstream_protocol", `MCP server '${upstream.name}' answered ${what} with something that is not JSON-RPC: ${error.message}`, {
          server: upstream.name,
        });
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
    const error = bridgeError(text);
    const status = response.status === 503 || response.status === 504 ? response.status : 502;
    const code = error?.reason ?? (status === 504 ? "upstream_timeout" : "upstream_unavailable");
    if (error) return new ProxyError(status, code, error.message, { server: upstream.name });
  }
  const hint = response.status === 401 || response.status === 403 ? " (check the credentials in its catalog headers)" : "";
  return new ProxyError(502, "upstream_http_error", `MCP server '${upstream.name}' answered ${what} with HTTP ${response.status}${hint}: ${text}`, {
    server: upstream.name,
  });
}

/** The bridge's message and, when it names one (`result_too_large`), its reason. */
function bridgeError(text: string): { message: string; reason?: BridgeFailureReason } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = BridgeErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, data } = parsed.data.error;
  return { message, ...(data ? { reason: data.reason } : {}) };
}
