// The auth service's log: one JSON object a line, at or above LOG_LEVEL. Never an identity, a token
// or a secret: events and reasons only.
import { LOG_LEVELS, type LogLevel } from "../../schema/settings.ts";

let least: LogLevel = "info";

export function setLogLevel(level: LogLevel): void {
  least = level;
}

export function log(level: LogLevel, event: string, details: Record<string, string | number> = {}): void {
  if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(least)) return;
  const line = JSON.stringify({ level, service: "auth", event, ...details });
  if (level === "warn" || level === "error") console.warn(line);
  else console.log(line);
}
