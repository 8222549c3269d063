// How a worker writes its log: one line per entry, at or above LOG_LEVEL, as LOG_FORMAT says (a
// JSON object, or schema/log-text.ts's readable line with the same fields); warn and error on the
// standard error stream. `fields` (e.g. the service's name) go on every line.
import { LOG_LEVELS, type LogFormat, type LogLevel } from "./log-settings.ts";
import { textLine } from "./log-text.ts";

export interface LogWriter {
  configure(settings: { LOG_LEVEL: LogLevel; LOG_FORMAT: LogFormat }): void;
  write(level: LogLevel, line: Record<string, unknown>): void;
}

export function logWriter(fields: Record<string, unknown> = {}): LogWriter {
  // Until the settings are read (each worker configures it once per isolate).
  let least: LogLevel = "info";
  let format: LogFormat = "json";
  return {
    configure: (settings) => {
      least = settings.LOG_LEVEL;
      format = settings.LOG_FORMAT;
    },
    write: (level, line) => {
      if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(least)) return;
      const text = format === "text" ? textLine(level, { ...fields, ...line }, new Date()) : JSON.stringify({ level, ...fields, ...line });
      if (level === "warn" || level === "error") console.warn(text);
      else console.log(text);
    },
  };
}
