// The auth service's log: one JSON object a line, at or above LOG_LEVEL. Never an identity, a token
// or a secret: events and reasons only.
import { jsonLog } from "../../schema/json-log.ts";
import type { LogLevel } from "../../schema/log-settings.ts";

const lines = jsonLog({ service: "auth" });

export const setLogLevel = lines.setLevel;

export function log(level: LogLevel, event: string, details: Record<string, string | number> = {}): void {
  lines.write(level, { event, ...details });
}
