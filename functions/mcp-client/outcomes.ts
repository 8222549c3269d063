// A call's outcome as the worker's error, with the status and code of schema/call-outcomes.ts.
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CALL_OUTCOMES, type CallOutcome } from "../../schema/call-outcomes.ts";
import { ProxyError, type ErrorCode } from "../errors.ts";

/** The table, checked against the worker's statuses and error codes. */
const OUTCOMES: Record<CallOutcome, { status: ContentfulStatusCode; code: ErrorCode; retryAfterSeconds?: number }> = CALL_OUTCOMES;

/** `cause` stays in the log; the caller gets `message` and `details`. */
export function outcomeError(outcome: CallOutcome, message: string, details: Record<string, unknown>, cause?: unknown): ProxyError {
  const { status, code, retryAfterSeconds } = OUTCOMES[outcome];
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  return new ProxyError(status, code, message, details, cause === undefined ? { headers } : { headers, cause });
}
