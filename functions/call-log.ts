// One line per failed tool call, for `docker logs` and journald: what failed and why, never who
// called or with which key, and URLs without their query strings (they may carry tokens).
import { ProxyError } from "./errors.ts";
import { log, redact } from "./log.ts";

export interface CallFailure {
  server: string;
  tool: string;
  durationMs: number;
  error: unknown;
}

export function logCallFailure({ server, tool, durationMs, error }: CallFailure): void {
  const known = error instanceof ProxyError;
  log(known && error.status < 500 ? "warn" : "error", {
    event: "tool_call_failed",
    server,
    tool,
    status: known ? error.status : 500,
    code: known ? error.code : "internal_error",
    durationMs: Math.round(durationMs),
    reason: redact(error instanceof Error ? error.message : String(error)),
  });
}
