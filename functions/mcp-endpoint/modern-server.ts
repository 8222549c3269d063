// The stateless 2026-07-28 revision: each request carries its protocol version and the client's
// identity in `_meta`; there is no initialize and no session. The v2 SDK's handler does the
// protocol (server/discover, the envelope checks, the errors) around a Server made per request
// with the proxy's methods, so both eras answer from the same code.
import { createMcpHandler, isLegacyRequest, type RequestMeta, Server } from "@modelcontextprotocol/server";
import type { RequestScope } from "../routes/context.ts";
import type { ProgressRelay } from "../tools/call.ts";
import type { Endpoint } from "./exposed.ts";
import { type CallToolParams, instructionsFor, mcpMethods, SERVER_INFO } from "./methods.ts";

/**
 * No `listChanged`: this revision's list changes come over `subscriptions/listen`, which a worker
 * that keeps nothing between requests has no events for yet (the 2025-era GET stream has them).
 * No `logging`: deprecated in this revision, and no upstream log is relayed.
 */
const CAPABILITIES = { tools: {}, prompts: {}, resources: {}, completions: {} };

/** Whether the SDK routes the request to this revision (it carries the `_meta` envelope, or says it does). */
export async function isModernRequest(request: Request, body: unknown): Promise<boolean> {
  return !(await isLegacyRequest(request, body));
}

export function modernAnswer(request: Request, body: unknown, scope: RequestScope, endpoint: Endpoint): Promise<Response> {
  const handler = createMcpHandler(() => modernServer(scope, endpoint), { legacy: "reject" });
  return handler.fetch(request, { parsedBody: body });
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
  on("tools/call", (params: CallToolParams, ctx) => methods["tools/call"](params, progressOf(ctx)));
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
