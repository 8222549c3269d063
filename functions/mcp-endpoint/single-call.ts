// The hot path: one `tools/call` POSTed on its own, answered without building the SDK's Server
// and transport, which cost about 0.3 ms of CPU per call in workerd (bench/RESULTS.md,
// docs/architecture.md). Only a request the SDK would accept as it is takes this path; anything
// else (a batch, other methods, bad headers or params) goes to the SDK, which answers it. A call
// with a progress token is answered here too, as an SSE stream once the upstream reports progress.
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { progressAnswer, progressTokenOf } from "../../schema/progress-answer.ts";
import type { RequestScope } from "../routes/context.ts";
import type { Arguments } from "../tools/arguments.ts";
import type { ProgressRelay } from "../tools/call.ts";
import type { Endpoint } from "./exposed.ts";
import { rpcErrorOf } from "./rpc-errors.ts";
import { callTool } from "./methods.ts";

interface ToolCallMessage {
  jsonrpc: "2.0";
  id: string | number;
  method: "tools/call";
  params: { name: string; arguments?: Arguments; _meta?: Record<string, unknown> };
}

/** The transport's default when a client sends no MCP-Protocol-Version (the SDK's). */
const DEFAULT_VERSION = "2025-03-26";
const JSON_TYPE = /^application\/json\s*(;|$)/i;

export function singleToolCall(request: Request, body: unknown): ToolCallMessage | undefined {
  if (!isToolCall(body)) return undefined;
  const accept = request.headers.get("accept") ?? "";
  if (!accept.includes("application/json") || !accept.includes("text/event-stream")) return undefined;
  if (!JSON_TYPE.test(request.headers.get("content-type") ?? "")) return undefined;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(request.headers.get("mcp-protocol-version") ?? DEFAULT_VERSION)) return undefined;
  return body;
}

export function answerToolCall(scope: RequestScope, endpoint: Endpoint, message: ToolCallMessage): Promise<Response> {
  const token = progressTokenOf(message.params);
  if (token === undefined) return answer(scope, endpoint, message);
  return progressAnswer(token, (onProgress) => answer(scope, endpoint, message, { token, onProgress }));
}

async function answer(scope: RequestScope, endpoint: Endpoint, { id, params }: ToolCallMessage, progress?: ProgressRelay): Promise<Response> {
  try {
    const result = await callTool(scope, endpoint, params.name, params.arguments ?? {}, progress);
    return Response.json({ result, jsonrpc: "2.0", id });
  } catch (error) {
    const failure = rpcErrorOf(error);
    if (!(failure instanceof Error && "code" in failure && typeof failure.code === "number")) throw error; // the SDK path's internal error
    const data = (failure as { data?: unknown }).data;
    return Response.json({ jsonrpc: "2.0", id, error: { code: failure.code, message: failure.message, ...(data === undefined ? {} : { data }) } });
  }
}

function isToolCall(body: unknown): body is ToolCallMessage {
  if (!isObject(body) || body.jsonrpc !== "2.0" || body.method !== "tools/call") return false;
  if (typeof body.id !== "string" && !(typeof body.id === "number" && Number.isInteger(body.id))) return false;
  const params = body.params;
  if (!isObject(params) || typeof params.name !== "string") return false;
  // A task, or `_meta` with more than a progress token (the 2026-07-28 envelope), is left to the SDKs.
  if ("task" in params || !isProgressOnly(params._meta)) return false;
  return params.arguments === undefined || (isObject(params.arguments) && !Array.isArray(params.arguments));
}

function isProgressOnly(meta: unknown): boolean {
  if (meta === undefined) return true;
  return isObject(meta) && Object.keys(meta).length === 1 && progressTokenOf({ _meta: meta }) !== undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
