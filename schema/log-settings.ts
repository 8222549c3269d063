// The log settings, declared once here for every side that reads them (LOG_LEVEL: the worker, the
// auth service and the bridge; LOG_FORMAT: the two workers), so each side's settings list, and so
// the README's and docs/sign-in.md's tables, say the same.
import { oneOf, type Setting } from "./settings.ts";

/** How much a side writes to its log: LOG_LEVEL and the lines at or above it. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_LEVEL = {
  type: oneOf(LOG_LEVELS),
  default: "info",
  doc: "the least severe log lines written: `debug`, `info`, `warn` or `error`",
} satisfies Setting<LogLevel>;

/** How a line is written: one JSON object (for collectors and `docker logs`) or one readable line (for a terminal). */
export const LOG_FORMATS = ["json", "text"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const LOG_FORMAT = {
  type: oneOf(LOG_FORMATS),
  default: "json",
  doc: "`json`: each log line one JSON object; `text`: one readable line with the same fields, for a terminal (`npm start` and `npm run dev` choose it when their standard error is one and this is unset)",
} satisfies Setting<LogFormat>;
