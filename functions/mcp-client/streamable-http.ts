// MCP over Streamable HTTP with the session kept across requests: one POST per call once warm.
// Only plain values (session id, protocol version) live in module scope: workerd forbids sharing
// I/O objects or promises between requests.
import { InitializeResultSchema, type Result } from "@modelcontextprotocol/sdk/types.js";
import { isSessionExpired } from "../../schema/call-outcomes.ts";
import { IsolateCache } from "../cache.ts";
import { countSessionReinit } from "../metrics/proxy-metrics.ts";
import { CLIENT_INFO, PROTOCOL_VERSION, newRequestId, resultOf, rpcNotification, rpcRequest } from "./messages.ts";
import { answerOf, fetchUpstream, protocolError, type CallContext, type Upstream } from "./upstream.ts";

interface Session {
  sessionId?: string;
  protocolVersion: string;
}

/** Per upstream (name and URL). */
const sessions = new IsolateCache<string, Session>(1_000);

export async function streamableRequest(upstream: Upstream, method: string, params: unknown, context: CallContext): Promise<Result> {
  const key = `${upstream.name} ${upstream.url}`;
  let session = sessions.get(key)?.value;
  let fresh = false;
  if (!session) {
    session = await initialize(upstream, context.signal);
    fresh = true;
  }
  const id = newRequestId();
  let response = await post(upstream, session, rpcRequest(id, method, params), method, context.signal);
  if (!fresh && isSessionExpired(response.status, !!session.sessionId)) {
    // The upstream forgot the session (restart, expiry): start a new one, once.
    await response.body?.cancel();
    if (sessions.get(key)?.value === session) sessions.delete(key);
    countSessionReinit(upstream.name);
    session = await initialize(upstream, context.signal);
    fresh = true;
    response = await post(upstream, session, rpcRequest(id, method, params), method, context.signal);
  }
  const answer = await answerOf(upstream, method, response, id, context.onNotification);
  if (fresh) keepOrClose(key, session, upstream, context);
  return resultOf(answer);
}

async function initialize(upstream: Upstream, signal: AbortSignal): Promise<Session> {
  const id = newRequestId();
  const params = { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO };
  const response = await post(upstream, { protocolVersion: PROTOCOL_VERSION }, rpcRequest(id, "initialize", params), "initialize", signal);
  const sessionId = response.headers.get("mcp-session-id") ?? undefined;
  const parsed = InitializeResultSchema.safeParse(resultOf(await answerOf(upstream, "initialize", response, id)));
  if (!parsed.success) throw protocolError(upstream, "answered initialize with an invalid result", parsed.error);
  const session: Session = { sessionId, protocolVersion: parsed.data.protocolVersion };
  const ack = await post(upstream, session, rpcNotification("notifications/initialized"), "initialize", signal);
  await ack.body?.cancel();
  if (!ack.ok) throw protocolError(upstream, `refused notifications/initialized (HTTP ${ack.status})`);
  return session;
}

/** Several cold requests may each open a session: the first one kept wins, the others are closed. */
function keepOrClose(key: string, session: Session, upstream: Upstream, context: CallContext): void {
  const kept = sessions.get(key)?.value;
  if (!kept) {
    sessions.set(key, session);
  } else if (kept !== session && session.sessionId) {
    const close = fetch(upstream.url, { method: "DELETE", headers: headersFor(upstream, session) }).then(
      (r) => r.body?.cancel(),
      () => {},
    );
    context.waitUntil(close);
  }
}

function post(upstream: Upstream, session: Session, body: string, what: string, signal: AbortSignal): Promise<Response> {
  return fetchUpstream(upstream, what, upstream.url, { method: "POST", headers: headersFor(upstream, session), body, signal });
}

function headersFor(upstream: Upstream, session: Session): Record<string, string> {
  return {
    ...upstream.headers,
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": session.protocolVersion,
    ...(session.sessionId ? { "mcp-session-id": session.sessionId } : {}),
  };
}
