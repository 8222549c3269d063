// MCP over the legacy HTTP+SSE transport. Its answers arrive on a stream that cannot outlive a
// request in workerd, so each call opens the stream, initialises, calls and closes.
import { JSONRPCResponseSchema, type JSONRPCResponse, type Result } from "@modelcontextprotocol/sdk/types.js";
import { CLIENT_INFO, PROTOCOL_VERSION_SSE, isAnswerTo, newRequestId, resultOf, rpcNotification, rpcRequest, sseEvents, type RequestId } from "./messages.ts";
import { fetchUpstream, httpError, protocolError, transportError, type CallContext, type Upstream } from "./upstream.ts";

export async function sseRequest(upstream: Upstream, method: string, params: unknown, { signal }: CallContext): Promise<Result> {
  const stream = await fetchUpstream(upstream, method, upstream.url, { headers: { ...upstream.headers, accept: "text/event-stream" }, signal });
  if (!stream.ok) {
    await stream.body?.cancel();
    throw httpError(upstream, `answered the SSE stream with HTTP ${stream.status}`);
  }
  const events = sseEvents(stream.body);
  try {
    const endpoint = await nextEndpoint(upstream, events);
    const send = async (body: string) => {
      const response = await fetchUpstream(upstream, method, endpoint, {
        method: "POST",
        headers: { ...upstream.headers, "content-type": "application/json" },
        body,
        signal,
      });
      await response.body?.cancel();
      if (!response.ok) throw httpError(upstream, `refused a message with HTTP ${response.status}`);
    };
    const call = async (name: string, callParams: unknown) => {
      const id = newRequestId();
      await send(rpcRequest(id, name, callParams));
      return resultOf(await answer(upstream, events, id, name));
    };
    await call("initialize", { protocolVersion: PROTOCOL_VERSION_SSE, capabilities: {}, clientInfo: CLIENT_INFO });
    await send(rpcNotification("notifications/initialized"));
    return await call(method, params);
  } catch (error) {
    throw transportError(upstream, method, error);
  } finally {
    await events.return(undefined);
  }
}

type Events = AsyncGenerator<{ event: string; data: string }>;

async function nextEndpoint(upstream: Upstream, events: Events): Promise<string> {
  for await (const { event, data } of iterate(events)) {
    if (event === "endpoint") return new URL(data, upstream.url).toString();
  }
  throw protocolError(upstream, "closed the SSE stream before naming its message endpoint");
}

async function answer(upstream: Upstream, events: Events, id: RequestId, what: string): Promise<JSONRPCResponse> {
  for await (const { event, data } of iterate(events)) {
    if (event !== "message" || !data) continue;
    const message: unknown = JSON.parse(data);
    if (!isAnswerTo(message, id)) continue;
    const parsed = JSONRPCResponseSchema.safeParse(message);
    if (!parsed.success) throw protocolError(upstream, `answered ${what} with something that is not JSON-RPC`, parsed.error);
    return parsed.data;
  }
  throw protocolError(upstream, `closed the SSE stream before answering ${what}`);
}

/** Iterates a shared generator without closing it when the loop exits early. */
async function* iterate(events: Events): AsyncGenerator<{ event: string; data: string }> {
  for (;;) {
    const { value, done } = await events.next();
    if (done) return;
    yield value;
  }
}
