// /mcp and /{server}/mcp over Streamable HTTP, with no state kept between requests. A lone
// tools/call takes the fast path (single-call.ts); a request of the stateless 2026-07-28 revision
// goes to the v2 SDK (modern-server.ts); any other POST gets its own v1 SDK Server and transport
// (JSON answers), GET is the list-change stream, and the session id handed out at initialize
// carries nothing, so a worker restart loses no session.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { ErrorCode, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { ProxyError } from "../errors.ts";
import { enabledServers, scopeOf, serverNamed, type AppContext, type RequestScope } from "../routes/context.ts";
import type { Endpoint } from "./exposed.ts";
import { listChangeStream } from "./list-changes.ts";
import { legacyServer } from "./legacy-server.ts";
import { isModernRequest, modernAnswer } from "./modern-server.ts";
import { answerToolCall, singleToolCall } from "./single-call.ts";

export const MCP_METHODS = ["GET", "POST", "DELETE"];

/** /mcp: every enabled server the caller may use, names prefixed. */
export function allServers(c: AppContext): Promise<Response> {
  return answer(c, (scope) => ({ servers: enabledServers(scope), prefixed: true }));
}

/** /{server}/mcp: one server as its own MCP server (403, 404 or 503 as for its OpenAPI routes). */
export function oneServer(c: AppContext): Promise<Response> {
  const name = c.req.param("server")!;
  return answer(c, (scope) => ({ servers: [serverNamed(scope, name)], prefixed: false }));
}

async function answer(c: AppContext, endpointFor: (scope: RequestScope) => Endpoint): Promise<Response> {
  const scope = await scopeOf(c);
  const endpoint = endpointFor(scope);
  const request = c.req.raw;
  if (request.method === "GET") return stream(request, scope, endpointFor);
  const body = request.method === "POST" ? await readMessage(request) : undefined;
  if (body === NOT_JSON) return parseError();
  const toolCall = singleToolCall(request, body);
  if (toolCall) return answerToolCall(scope, endpoint, toolCall);
  if (body !== undefined && (await isModernRequest(request, body))) return modernAnswer(request, body, scope, endpointFor);
  const initializing = (Array.isArray(body) ? body : [body]).some((message) => (message as { method?: unknown })?.method === "initialize");
  // A session id only at initialize: later requests are answered whatever id they carry.
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: initializing ? () => crypto.randomUUID() : undefined,
    enableJsonResponse: true,
  });
  // Not closed afterwards: the answer is complete and the server made no requests of its own, and
  // closing builds an error and aborts handlers for nothing (0.1 ms per request in workerd).
  await legacyServer(scope, endpoint).connect(transport);
  return transport.handleRequest(request, body === undefined ? undefined : { parsedBody: body });
}

function stream(request: Request, scope: RequestScope, endpointFor: (scope: RequestScope) => Endpoint): Response {
  if (!request.headers.get("accept")?.includes("text/event-stream")) {
    throw new ProxyError(406, "not_acceptable", "GET opens the stream of list changes: send Accept: text/event-stream");
  }
  const version = request.headers.get("mcp-protocol-version");
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new ProxyError(400, "invalid_input", `Unsupported MCP-Protocol-Version '${version}': this proxy speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}`);
  }
  return listChangeStream(scope, endpointFor);
}

const NOT_JSON = Symbol("not JSON");

async function readMessage(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.text());
  } catch {
    return NOT_JSON;
  }
}

/** The transport's own answer to a body that is not JSON. */
function parseError(): Response {
  const error = { jsonrpc: "2.0", error: { code: ErrorCode.ParseError, message: "Parse error: Invalid JSON" }, id: null };
  return Response.json(error, { status: 400 });
}
