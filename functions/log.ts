// What the worker writes to its log beyond the failed-call lines: the internal cause of an answer
// that callers get without it (database and bridge addresses, upstream URLs stay here).

/** URLs lose their query strings and fragments (they may carry tokens); long text is cut. */
export function redact(text: string): string {
  return text.replace(/(\bhttps?:\/\/[^\s?#'"()]+)[?#][^\s'"()]*/gi, "$1?…").slice(0, 500);
}

/** Logs why `code` happened, for the operator; the caller's message leaves this out. */
export function logCause(code: string, what: string, cause: unknown): void {
  const reason = cause instanceof Error ? cause.message : String(cause);
  console.error(JSON.stringify({ level: "error", event: code, what: redact(what), cause: redact(reason) }));
}
