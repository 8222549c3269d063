// How a worker writes its log: one JSON object a line, at or above LOG_LEVEL; warn and error on the
// standard error stream. `fields` (e.g. the service's name) go on every line.
import { LOG_LEVELS, type LogLevel } from "./log-settings.ts";

export interface JsonLog {
  setLevel(level: LogLevel): void;
  write(level: LogLevel, line: Record<string, unknown>): void;
}

export function jsonLog(fields: Record<string, unknown> = {}): JsonLog {
  // Until the settings are read (each worker sets it once per isolate).
  let least: LogLevel = "info";
  return {
    setLevel: (level) => {
      least = level;
    },
    write: (level, line) => {
      if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(least)) return;
      const text = JSON.stringify({ level, ...fields, ...line });
      if (level === "warn" || level === "error") console.warn(text);
      else console.log(text);
    },
  };
}
