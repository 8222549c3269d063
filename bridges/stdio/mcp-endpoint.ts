// Serves one supervised stdio server as a Streamable HTTP MCP endpoint (JSON responses, or SSE
// for a request that asks for progress).
// The stdio process is initialised once by the bridge; each HTTP session gets the answer of
// that handshake (recorded, so a stopped server need not start), and its requests are
// multiplexed over the one pipe.
import {
  ErrorCode,
  JSONRPCMessageSchema,
  LATEST_PROTOCOL_VERSION,
  McpError,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type Progress,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import type { BridgeErrorBody, BridgeErrorStatus, BridgeFailureReason } from "../../schema/bridge-error.ts";
import { BRIDGE_ANSWERS } from "../../schema/call-outcomes.ts";
import { BridgeError } from "../errors.ts";
import { progressAnswer, progressTokenOf } from "../../schema/progress-answer.ts";
import type { StdioServerProcess } from "./server-process.ts";

const MAX_SESSIONS = 10_000;

/** Session ids handed out for one server; a restart of the process makes them all stale. */
export class SessionRegistry {
  private readonly sessions = new Map<string, number>();

  open(generation: number): string {
    const id = randomUUID();
    this.sessions.set(id, generation);
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return id;
  }

  isLive(id: string, generation: number): boolean {
    return this.sessions.get(id) === generation;
  }

  close(id: string): boolean {
    return this.sessions.delete(id);
  }
}

export interface McpPost {
  body: unknown;
  sessionId: string | undefined;
}

export async function handleMcpPost(server: StdioServerProcess, sessions: SessionRegistry, { body, sessionId }: McpPost): Promise<Response> {
  const parsed = JSONRPCMessageSchema.safeParse(body);
  if (!parsed.success) return rpcError(BRIDGE_ANSWERS.invalid_request, null, ErrorCode.InvalidRequest, "Invalid Request: expected one JSON-RPC 2.0 message");
  const message = parsed.data as JSONRPCMessage;
  if (!("method" in message)) return new Response(null, { status: 202 }); // responses to server requests: none are sent
  const id = "id" in message ? message.id : undefined;

  if (message.method === "initialize") return initialize(server, sessions, id ?? null, message.params).catch((error) => failure(server, id, error));
  if (!sessionId) return rpcError(BRIDGE_ANSWERS.invalid_request, id ?? null, -32000, "Bad Request: Mcp-Session-Id header is required");
  if (!sessions.isLive(sessionId, server.generation)) return rpcError(BRIDGE_ANSWERS.session_not_found, id ?? null, -32001, "Session not found");
  if (id === undefined) return new Response(null, { status: 202 }); // notifications stay with the bridge
  const token = progressTokenOf(message.params);
  if (token === undefined) return call(server, message.method, message.params, id);
  return progressAnswer(token, (onProgress) => call(server, message.method, message.params, id, onProgress));
}

async function call(server: StdioServerProcess, method: string, params: unknown, id: RequestId, onProgress?: (progress: Progress) => void): Promise<Response> {
  try {
    const result = await server.request(method, params, server.server.timeoutMs, onProgress);
    return json(200, { jsonrpc: "2.0", id, result });
  } catch (error) {
    return failure(server, id, error);
  }
}

function failure(server: StdioServerProcess, id: RequestId | undefined, error: unknown): Response {
  if (error instanceof BridgeError) return rpcError(error.status, id ?? null, -32000, error.message, error.reason);
  if (error instanceof McpError) return json(200, { jsonrpc: "2.0", id, error: { code: error.code, message: error.message, data: error.data } });
  return rpcError(BRIDGE_ANSWERS.failed, id ?? null, ErrorCode.InternalError, `MCP server '${server.server.name}': ${(error as Error).message}`);
}

async function initialize(server: StdioServerProcess, sessions: SessionRegistry, id: RequestId | null, params: unknown): Promise<Response> {
  const identity = await server.identity(server.server.timeoutMs);
  const requested = (params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  const protocolVersion = typeof requested === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
  const sessionId = sessions.open(server.generation);
  return json(200, { jsonrpc: "2.0", id, result: { protocolVersion, ...identity } }, { "mcp-session-id": sessionId });
}

function rpcError(status: BridgeErrorStatus, id: RequestId | null, code: number, message: string, reason?: BridgeFailureReason): Response {
  const body: BridgeErrorBody = { jsonrpc: "2.0", id, error: { code, message, ...(reason ? { data: { reason } } : {}) } };
  return json(status, body);
}

function json(status: number, payload: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(payload), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
