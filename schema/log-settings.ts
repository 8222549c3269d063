// The log settings every side reads (the worker, the auth service, the bridge), declared once here
// so each side's settings list, and so the README's and docs/sign-in.md's tables, say the same.
import { oneOf, type Setting } from "./settings.ts";

/** How much a side writes to its log: LOG_LEVEL and the lines at or above it. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_LEVEL = {
  type: oneOf(LOG_LEVELS),
  default: "info",
  doc: "the least severe log lines written: `debug`, `info`, `warn` or `error`",
} satisfies Setting<LogLevel>;
