// MCP over the legacy HTTP+SSE transport. Its answers arrive on a stream that cannot outlive a
// request in workerd, so each call opens the stream, initialises, calls and closes.
import { ProxyError } from "../errors.ts";
import {
  CLIENT_INFO,
  PROTOCOL_VERSION_SSE,
  isAnswerTo,
  newRequestId,
  resultOf,
  rpcNotification,
  rpcRequest,
  sseEvents,
  type RequestId,
  type RpcResponse,
} from "./messages.ts";
import { fetchUpstream, transportError, type CallContext, type Upstream } from "./upstream.ts";

export async function sseRequest(upstream: Upstream, method: string, params: unknown, { signal }: CallContext): Promise<Record<string, unknown>> {
  const stream = await fetchUpstream(upstream, method, upstream.url, { headers: { ...upstream.headers, accept: "text/event-stream" }, signal });
  if (!stream.ok) {
    await stream.body?.cancel();
    throw new ProxyError(502, "upstream_http_error", `MCP server '${upstream.name}' answered the SSE stream with HTTP ${stream.status}`, {
      server: upstream.name,
    });
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
      if (!response.ok)
        throw new ProxyError(502, "upstream_http_error", `MCP server '${upstream.name}' refused a message with HTTP ${response.status}`, {
          server: upstream.name,
        });
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
  throw new ProxyError(502, "upstream_protocol", `MCP server '${upstream.name}' closed the SSE stream before naming its message endpoint`, {
    server: upstream.name,
  });
}

async function answer(upstream: Upstream, events: Events, id: RequestId, what: string): Promise<RpcResponse> {
  for await (const { event, data } of iterate(events)) {
    if (event !== "message" || !data) continue;
    const message: unknown = JSON.parse(data);
    if (isAnswerTo(message, id)) return message as RpcResponse;
  }
  throw new ProxyError(502, "upstream_protocol", `MCP server '${upstream.name}' closed the SSE stream before answering ${what}`, { server: upstream.name });
}

/** Iterates a shared generator without closing it when the loop exits early. */
async function* iterate(events: Events): AsyncGenerator<{ event: string; data: string }> {
  for (;;) {
    const { value, done } = await events.next();
    if (done) return;
    yield value;
  }
}
