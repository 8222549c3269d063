// A tool call's body → the tool's arguments: JSON by content type, or JSON sent without one by a
// client that is not a browser (curl's `-d` says x-www-form-urlencoded), unwrapped from
// `{"arguments": {...}}` when the tool has no parameter of that name.
import { ProxyError } from "../errors.ts";
import { parseJsonBody } from "../json-body.ts";
import { nestsDeeperThan } from "./json-depth.ts";
import type { Tool } from "./tool-lists.ts";

export type Arguments = Record<string, unknown>;

const JSON_TYPE = /^application\/(.+\+)?json\b/i;
/** What curl sends with `-d` and no `-H content-type`. */
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
/** Deeper arguments are refused: far beyond what a tool's schema describes, and deep enough to overflow. */
const MAX_ARGUMENT_DEPTH = 64;

export async function readArguments(request: Request): Promise<Arguments> {
  const type = request.headers.get("content-type");
  const isJson = type !== null && JSON_TYPE.test(type);
  const lenient = !isJson && (type === null || FORM_TYPE.test(type)) && !fromBrowser(request.headers);
  if (!isJson && !lenient) throw notJson(type);
  const text = await request.text();
  if (text === "") return {}; // no body: a tool without parameters
  if (text.trim() === "") throw new ProxyError(400, "invalid_json", "The body is only whitespace: send the tool's arguments as a JSON object, or {} for none");
  let body: unknown;
  try {
    body = parseJsonBody(text);
  } catch (error) {
    if (type !== null && !isJson) throw notJson(type); // `curl -d a=b`: a form, not JSON
    throw error;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ProxyError(400, "invalid_arguments", "The body must be a JSON object of the tool's arguments");
  }
  if (nestsDeeperThan(body, MAX_ARGUMENT_DEPTH)) {
    throw new ProxyError(400, "invalid_arguments", `The arguments nest more than ${MAX_ARGUMENT_DEPTH} levels deep, the most this proxy accepts`);
  }
  return body as Arguments;
}

/**
 * Browsers send Origin on every cross-site POST, and Sec-Fetch-Site and Sec-Fetch-Dest on every
 * request (Node's fetch sends only Sec-Fetch-Mode, so it is not counted). A form or a "simple"
 * fetch from a web page is never read as JSON, so a page cannot reach a tool without a preflight.
 */
function fromBrowser(headers: Headers): boolean {
  return headers.has("origin") || headers.has("sec-fetch-site") || headers.has("sec-fetch-dest");
}

function notJson(type: string | null): ProxyError {
  return new ProxyError(
    415,
    "unsupported_media_type",
    `The body must be JSON (content-type: application/json), not ${type ?? "a body without a content type from a browser"}`,
  );
}

/** `{"arguments": {...}}` is accepted too, unless the tool really takes a parameter named `arguments`. */
export function unwrapArguments(body: Arguments, tool: Tool): Arguments {
  const inner = body.arguments;
  const toolHasArguments = !!(tool.inputSchema.properties as Record<string, unknown> | undefined)?.arguments;
  if (Object.keys(body).length === 1 && inner && typeof inner === "object" && !Array.isArray(inner) && !toolHasArguments) {
    return inner as Arguments;
  }
  return body;
}
