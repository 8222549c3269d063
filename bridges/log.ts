// The bridge's own log lines, "[bridge] ..." on standard error, at or above LOG_LEVEL; and its
// stdio servers' standard error, copied as it comes.
import { createInterface } from "node:readline";
import type { Stream } from "node:stream";
import { LOG_LEVELS, type LogLevel } from "../schema/log-settings.ts";

/** Until the settings are read (main.ts sets it). */
let least: LogLevel = "info";

export function setLogLevel(level: LogLevel): void {
  least = level;
}

function write(level: LogLevel, line: string): void {
  if (LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(least)) console.error(`[bridge] ${line}`);
}

export const log = {
  debug: (line: string) => write("debug", line),
  info: (line: string) => write("info", line),
  warn: (line: string) => write("warn", line),
  error: (line: string) => write("error", line),
};

/** Copies a child's stderr to ours, line by line, each line tagged with who wrote it. */
export function pipeLines(stream: Stream, prefix: string): void {
  const lines = createInterface({ input: stream as unknown as NodeJS.ReadableStream, crlfDelay: Infinity });
  lines.on("line", (line) => process.stderr.write(`${prefix}${line}\n`));
}
