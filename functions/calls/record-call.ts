// The one place a tool call ends, on either face: its log line, its listeners (the metrics), and
// its audit row. Nothing here may fail or delay the call.
import type { Access } from "../auth/access.ts";
import { type Env, settingsOf } from "../env.ts";
import { logFailure } from "../log.ts";
import { auditCall, type CallPayload } from "./audit-trail.ts";
import { callerKey } from "../auth/identity.ts";
import type { CallEnding } from "./call-ending.ts";
import { logCall } from "./call-line.ts";
import { tellListeners } from "./call-listeners.ts";
import type { CallRecord, Face } from "./call-record.ts";

export { auditRecordsDropped } from "./audit-buffer.ts";
export { onCallRecorded } from "./call-listeners.ts";

/** What a call's request gives its record: the bindings, a way to outlive the answer, who calls, the request id. */
export interface RecordContext {
  env: Env;
  waitUntil(promise: Promise<unknown>): void;
  access: Access;
  requestId: string;
}

/** What the call carried and why it failed: the payload for the audit (if stored), the failure for the log line. */
export interface CallDetail extends CallPayload {
  failure?: unknown;
}

/** Server and tool as the record names them; "(unknown)" until resolved. */
export interface CallTarget {
  server: string;
  tool: string;
}

const MAX_NAME_CHARS = 128;

export function recordCall(context: RecordContext, record: CallRecord, detail: CallDetail = {}): void {
  logCall(record, detail.failure);
  tellListeners(record);
  try {
    const settings = settingsOf(context.env);
    if (settings.AUDIT_ENABLED) auditCall(context, settings, record, detail);
  } catch (error) {
    logFailure("audit_failed", `tool call ${record.requestId}`, error);
  }
}

/** Starts the clock; the returned function records the call's end, once. */
export function startCall(context: RecordContext, face: Face): (target: CallTarget, ending: CallEnding, detail?: CallDetail) => void {
  const startedAt = new Date();
  const started = performance.now();
  return (target, ending, detail) =>
    recordCall(
      context,
      {
        startedAt,
        face,
        caller: callerKey(context.access.caller),
        server: target.server.slice(0, MAX_NAME_CHARS),
        tool: target.tool.slice(0, MAX_NAME_CHARS),
        ...ending,
        durationMs: Math.round(performance.now() - started),
        requestId: context.requestId,
      },
      detail,
    );
}
