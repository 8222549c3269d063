// Errors the worker answers with: always a status, a code and a message naming what went wrong.
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiException } from "chanfana";
import { z } from "zod";

/** Every code the worker answers with; a code not listed here does not compile. */
export const ERROR_CODES = [
  // the request
  "not_found",
  "method_not_allowed",
  "not_acceptable",
  "invalid_input",
  "invalid_json",
  "invalid_arguments",
  "body_too_large",
  "unsupported_media_type",
  "host_not_allowed",
  "origin_not_allowed",
  // who calls
  "unauthenticated",
  "invalid_token",
  "invalid_identity",
  "forbidden",
  "misconfigured",
  // servers and tools
  "unknown_server",
  "unknown_tool",
  "unsupported_tool",
  "server_disabled",
  "discovering",
  // a call's outcome (schema/call-outcomes.ts)
  "tool_error",
  "upstream_error",
  "upstream_timeout",
  "upstream_unreachable",
  "upstream_http_error",
  "upstream_protocol",
  "upstream_unavailable",
  "result_too_large",
  // the proxy's own parts
  "bridge_unavailable",
  "database_unavailable",
  "permissions_unavailable",
  "docs_unavailable",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProxyErrorOptions extends ErrorOptions {
  /** Extra response headers, e.g. WWW-Authenticate on a 401. */
  headers?: Record<string, string>;
}

export class ProxyError extends Error {
  override name = "ProxyError";
  /** Extra response headers, e.g. WWW-Authenticate on a 401. */
  readonly headers: Record<string, string>;
  /** `cause` (standard Error options) is for the log only: callers get the message and details. */
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    { headers = {}, ...options }: ProxyErrorOptions = {},
  ) {
    super(message, options);
    this.headers = headers;
  }

  toJSON(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

type Issue = { path: PropertyKey[]; message: string };

/** A request chanfana's schema refused: 400 naming each field ("add.0.email") and what is wrong. */
export function invalidInput(error: z.ZodError | ApiException): ProxyError {
  const issues: Issue[] =
    error instanceof z.ZodError
      ? error.issues
      : error.buildResponse().map((issue: { path?: PropertyKey[]; message: string }) => ({ path: issue.path ?? [], message: issue.message }));
  const fields = issues.map((issue) => ({ field: issue.path.slice(1).map(String).join(".") || String(issue.path[0] ?? "body"), message: issue.message }));
  const message = fields.map(({ field, message }) => `'${field}' ${message}`).join("; ");
  const status = error instanceof z.ZodError ? 400 : (error.status as ContentfulStatusCode);
  return new ProxyError(status, "invalid_input", `The request is not valid: ${message}`, { fields });
}
