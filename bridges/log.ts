import { createInterface } from "node:readline";
import type { Stream } from "node:stream";

/** Copies a child's stderr to ours, line by line, each line tagged with who wrote it. */
export function pipeLines(stream: Stream, prefix: string): void {
  const lines = createInterface({ input: stream as unknown as NodeJS.ReadableStream, crlfDelay: Infinity });
  lines.on("line", (line) => process.stderr.write(`${prefix}${line}\n`));
}
