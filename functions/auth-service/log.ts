// The auth service's log: one line each (LOG_FORMAT), at or above LOG_LEVEL. Never an identity, a token
// or a secret: events and reasons only.
import { logWriter } from "../../schema/log-writer.ts";
import type { LogLevel } from "../../schema/log-settings.ts";

const lines = logWriter({ service: "auth" });

export const configureLog = lines.configure;

export function log(level: LogLevel, event: string, details: Record<string, string | number> = {}): void {
  lines.write(level, { event, ...details });
}
