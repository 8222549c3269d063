// The one log line each tool call leaves, for `docker logs`, journald or a terminal: info when the tool
// answered, warn when the caller was refused (4xx), error when the proxy or the server failed (5xx).
// Who called is their permission key, never a key, token or identity header; a failure's reason
// has URLs without their credentials and query strings (they may carry tokens).
// JSON unless LOG_FORMAT=text: workerd gives a worker no way to know whether its output is a
// terminal, so `npm start` chooses for it.
import type { LogLevel } from "../../schema/log-settings.ts";
import { log, redact } from "../log.ts";
import type { CallRecord } from "./call-record.ts";

export function logCall(record: CallRecord, failure?: unknown): void {
  log(levelOf(record.status), {
    event: "tool_call",
    requestId: record.requestId,
    face: record.face,
    user: record.caller,
    server: record.server,
    tool: record.tool,
    status: record.status,
    outcome: record.outcome,
    ...(record.errorCode ? { code: record.errorCode } : {}),
    durationMs: record.durationMs,
    ...(failure === undefined ? {} : { reason: redact(failure instanceof Error ? failure.message : String(failure)) }),
  });
}

function levelOf(status: number): LogLevel {
  if (status >= 500) return "error";
  return status >= 400 ? "warn" : "info";
}
