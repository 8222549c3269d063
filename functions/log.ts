// What the worker writes to its log, one line each (LOG_FORMAT), at or above LOG_LEVEL: the failed-call
// lines and the internal cause of an answer that callers get without it (database and bridge
// addresses, upstream URLs stay here).
import { logWriter } from "../schema/log-writer.ts";
import type { LogLevel } from "../schema/log-settings.ts";

const lines = logWriter();

/** functions/env.ts sets LOG_LEVEL and LOG_FORMAT once per isolate. */
export const configureLog = lines.configure;

/** Writes the line if its level is at or above LOG_LEVEL. */
export function log(level: LogLevel, line: Record<string, unknown>): void {
  lines.write(level, line);
}

const MAX_STACK_LINES = 8;
const MAX_CAUSES = 5;

/** URLs lose their credentials, query strings and fragments (they may carry tokens); long text is cut. */
export function redact(text: string, max = 500): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@'"()]+@/gi, "$1…@")
    .replace(/(\bhttps?:\/\/[^\s?#'"()]+)[?#][^\s'"()]*/gi, "$1?…")
    .slice(0, max);
}

/** Logs why `code` happened, for the operator; the caller's message leaves this out. */
export function logCause(code: string, what: string, cause: unknown): void {
  const reason = cause instanceof Error ? cause.message : String(cause);
  log("error", { event: code, what: redact(what), cause: redact(reason) });
}

/** Logs a failure with its chain of causes, each with its name, message and first stack lines, redacted. */
export function logFailure(code: string, what: string, error: unknown): void {
  log("error", { event: code, what: redact(what), causes: causeChain(error) });
}

interface CauseLine {
  name: string;
  message: string;
  stack?: string[];
}

function causeChain(error: unknown): CauseLine[] {
  const chain: CauseLine[] = [];
  for (let link = error; link !== undefined && chain.length < MAX_CAUSES; link = link instanceof Error ? link.cause : undefined) {
    if (!(link instanceof Error)) {
      chain.push({ name: typeof link, message: redact(String(link)) });
      break;
    }
    const stack = link.stack
      ?.split("\n")
      .slice(1, MAX_STACK_LINES + 1)
      .map((line) => redact(line.trim(), 200));
    chain.push({ name: link.name, message: redact(link.message), ...(stack?.length ? { stack } : {}) });
  }
  return chain;
}
