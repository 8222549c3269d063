// How a tool call ended, as its record says it: the tool's answer, its own error (isError), or the
// proxy's refusal or failure, with the status the OpenAPI face answers it with.
import { CALL_OUTCOMES } from "../../schema/call-outcomes.ts";
import { ProxyError } from "../errors.ts";
import type { CallRecord } from "./call-record.ts";

export type CallEnding = Pick<CallRecord, "status" | "outcome" | "errorCode">;

export const ANSWERED: CallEnding = { status: 200, outcome: "ok" };

/** A result with isError: the tool's own failure, answered 422 tool_error on the OpenAPI face. */
export const TOOL_ERROR: CallEnding = { status: CALL_OUTCOMES.tool_error.status, outcome: "tool_error", errorCode: CALL_OUTCOMES.tool_error.code };

export function endingOf(error: unknown): CallEnding {
  if (!(error instanceof ProxyError)) return { status: 500, outcome: "error", errorCode: "internal_error" };
  if (error.code === TOOL_ERROR.errorCode) return TOOL_ERROR;
  return { status: error.status, outcome: "error", errorCode: error.code };
}
