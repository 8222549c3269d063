// The stateless 2026-07-28 revision: each request carries its protocol version and the client's
// identity in `_meta`; there is no initialize and no session. The v2 SDK's handler does the
// protocol (server/discover, the envelope checks, the errors) around a Server made per request
// with the proxy's methods, so both eras answer from the same code.
import { createMcpHandler, isLegacyRequest, type McpHttpHandler, type RequestMeta, Server } from "@modelcontextprotocol/server";
import type { RequestScope } from "../routes/context.ts";
import type { ProgressRelay } from "../tools/call.ts";
import type { Endpoint } from "./exposed.ts";
import { watchLists } from "./list-changes.ts";
import type { CallToolRequest } from "@modelcontextprotocol/sdk/types.js";
import { instructionsFor, mcpMethods, SERVER_INFO } from "./methods.ts";

/** No `logging`: deprecated in this revision, and no upstream log is relayed. */
const CAPABILITIES = { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {} };

/** Whether the SDK routes the request to this revision (it carries the `_meta` envelope, or says it does). */
export async function isModernRequest(request: Request, body: unknown): Promise<boolean> {
  return !(await isLegacyRequest(request, body));
}

/** `endpointFor` says which servers the caller may see under the access of the moment. */
export async function modernAnswer(request: Request, body: unknown, scope: RequestScope, endpointFor: (scope: RequestScope) => Endpoint): Promise<Response> {
  const endpoint = endpointFor(scope);
  const handler = createMcpHandler(() => modernServer(scope, endpoint), { legacy: "reject" });
  const response = await handler.fetch(request, { parsedBody: body });
  if ((body as { method?: unknown }).method !== "subscriptions/listen" || !response.body) return response;
  return withListWatch(response, handler, scope, endpointFor);
}

/**
 * The SDK serves the listen stream from its event bus; the handler is this request's own, so the
 * watch of the caller's lists feeds that bus for as long as the stream is open.
 */
function withListWatch(response: Response, handler: McpHttpHandler, scope: RequestScope, endpointFor: (scope: RequestScope) => Endpoint): Response {
  const publish = {
    tools: () => handler.notify.toolsChanged(),
    prompts: () => handler.notify.promptsChanged(),
    resources: () => handler.notify.resourcesChanged(),
  };
  const stop = watchLists(scope, endpointFor, {
    changed: (lists) => {
      for (const list of lists) publish[list]();
    },
    expired: () => void handler.close().catch(() => {}),
  });
  const ends = new TransformStream<Uint8Array, Uint8Array>({ flush: stop });
  response.body!.pipeTo(ends.writable).catch(stop); // the client left, or the handler closed
  return new Response(ends.readable, response);
}

type Notify = (notification: { method: "notifications/progress"; params: Record<string, unknown> }) => Promise<void>;

function modernServer(scope: RequestScope, endpoint: Endpoint): Server {
  const server = new Server(SERVER_INFO, { capabilities: CAPABILITIES, instructions: instructionsFor(endpoint) });
  const methods = mcpMethods(scope, endpoint);
  // The v1 types the methods are written in and v2's differ in detail (how JSON Schema values are
  // typed): one cast here, and the SDK checks each request and result against its own schemas.
  const on = <P>(method: keyof typeof methods, answer: (params: P, ctx: Context) => Promise<unknown>) =>
    server.setRequestHandler(method, ((request: { params: P }, ctx: Context) => answer(request.params, ctx)) as never);
  on("tools/list", methods["tools/list"]);
  on("tools/call", (params: CallToolRequest["params"], ctx) => methods["tools/call"](params, progressOf(ctx)));
  on("prompts/list", methods["prompts/list"]);
  on("prompts/get", methods["prompts/get"]);
  on("resources/list", methods["resources/list"]);
  on("resources/templates/list", methods["resources/templates/list"]);
  on("resources/read", methods["resources/read"]);
  on("completion/complete", methods["completion/complete"]);
  return server;
}

interface Context {
  mcpReq: { _meta?: RequestMeta; notify: Notify };
}

/** The caller's progress token, if it sent one, with the way to report to it. */
function progressOf({ mcpReq }: Context): ProgressRelay | undefined {
  const token = mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  return {
    token,
    onProgress: (progress) => void mcpReq.notify({ method: "notifications/progress", params: { ...progress, progressToken: token } }).catch(() => {}),
  };
}
