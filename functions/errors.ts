// Errors the worker answers with: always a status, a code and a message naming what went wrong.
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiException } from "chanfana";
import { z } from "zod";

export class ProxyError extends Error {
  override name = "ProxyError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Extra response headers, e.g. WWW-Authenticate on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): { error: { code: string; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

/** A JSON-RPC error object an upstream MCP server answered with. */
export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
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
