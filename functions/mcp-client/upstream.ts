// An MCP server the worker talks to over HTTP, and how its failures become HTTP answers
// (statuses and codes: schema/call-outcomes.ts).
import type { JSONRPCResponse } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { BridgeErrorBody, type BridgeFailureReason } from "../../schema/bridge-error.ts";
import { bridgeOutcome } from "../../schema/call-outcomes.ts";
import { ProxyError } from "../errors.ts";
import { logCause } from "../log.ts";
import { type OnNotification, readAnswer, type RequestId } from "./messages.ts";
import { outcomeError } from "./outcomes.ts";

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
  /** Gets the notifications the upstream sends on the call's own stream (Streamable HTTP only). */
  onNotification?: OnNotification;
}

/** Runs `fetch`, turning network failures and timeouts into errors that name the server. */
export async function fetchUpstream(upstream: Upstream, what: string, input: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    throw transportError(upstream, what, error);
  }
}

/** An answer that is not MCP (not JSON-RPC, no answer, an invalid result): 502 naming the server. */
export function protocolError(upstream: Upstream, message: string, cause?: unknown): ProxyError {
  return outcomeError("protocol_error", `MCP server '${upstream.name}' ${message}`, { server: upstream.name }, cause);
}

/** An error status from a remote server (not the bridge): 502 naming the server. */
export function httpError(upstream: Upstream, message: string): ProxyError {
  return outcomeError("http_error", `MCP server '${upstream.name}' ${message}`, { server: upstream.name });
}

function isTimeout(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

export function transportError(upstream: Upstream, what: string, error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const details = { server: upstream.name };
  if (isTimeout(error)) return outcomeError("timeout", `MCP server '${upstream.name}' did not answer ${what} within ${upstream.timeoutMs} ms`, details, error);
  // Under `npm start` a crashed bridge is started again, and compose restarts its container: worth a retry.
  const message = `MCP server '${upstream.name}' runs in the bridge, which is down or restarting; try again shortly`;
  if (upstream.viaBridge) return outcomeError("bridge_down", message, details, error);
  // Where and why stay in the log: the address is internal, the cause may name other hosts.
  logCause("upstream_unreachable", `${what} to '${upstream.name}' at ${upstream.url}`, error);
  return outcomeError("unreachable", `MCP server '${upstream.name}' is unreachable`, details, error);
}

/** The JSON-RPC answer to `id` in a response, or an error naming the server and what failed. */
export async function answerOf(upstream: Upstream, what: string, response: Response, id: RequestId, onNotification?: OnNotification): Promise<JSONRPCResponse> {
  if (!response.ok) throw await statusError(upstream, what, response);
  let answer: JSONRPCResponse | undefined;
  try {
    answer = await readAnswer(response, id, onNotification);
  } catch (error) {
    if (error instanceof SyntaxError) throw protocolError(upstream, `answered ${what} with something that is not JSON-RPC: ${error.message}`, error);
    if (error instanceof z.ZodError) throw protocolError(upstream, `answered ${what} with something that is not JSON-RPC: ${z.prettifyError(error)}`, error);
    throw transportError(upstream, what, error);
  }
  if (answer) return answer;
  throw protocolError(upstream, `sent no answer to ${what}`);
}

async function statusError(upstream: Upstream, what: string, response: Response): Promise<ProxyError> {
  const text = (await response.text().catch(() => "")).slice(0, 500);
  const error = upstream.viaBridge ? bridgeError(text) : undefined;
  if (error) return outcomeError(bridgeOutcome(response.status, error.reason), error.message, { server: upstream.name });
  const hint = response.status === 401 || response.status === 403 ? " (check the credentials in its catalog headers)" : "";
  return httpError(upstream, `answered ${what} with HTTP ${response.status}${hint}: ${text}`);
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
  return { message, reason: data?.reason };
}
