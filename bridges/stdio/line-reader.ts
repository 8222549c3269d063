// Splits a stdio server's output into lines (one JSON-RPC message each) and refuses lines over a
// size limit without keeping them: such a line is dropped as it streams, and only its length and
// its top-level "id" (to fail the request it answers) are kept.
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import { TopLevelIdScanner } from "./top-level-id.ts";

const NEWLINE = 0x0a;

export type Line = { text: string } | { tooLarge: { bytes: number; id?: RequestId } };

export class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while an over-long line is being dropped. */
  private dropping?: { bytes: number; scanner: TopLevelIdScanner };

  constructor(readonly maxLineBytes: number) {}

  /** The lines this chunk completes, in order. */
  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      lines.push(this.finish(chunk.subarray(start, end)));
      start = end + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
    return lines;
  }

  /** Forgets a partial line (the process is gone). */
  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.dropping = undefined;
  }

  private take(part: Buffer): void {
    if (this.dropping) {
      this.dropping.bytes += part.length;
      this.dropping.scanner.push(part);
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxLineBytes) this.startDropping();
  }

  private startDropping(): void {
    const scanner = new TopLevelIdScanner();
    for (const part of this.pending) scanner.push(part);
    this.dropping = { bytes: this.pendingBytes, scanner };
    this.pending = [];
    this.pendingBytes = 0;
  }

  private finish(last: Buffer): Line {
    this.take(last);
    const dropping = this.dropping;
    if (dropping) {
      this.dropping = undefined;
      const id = dropping.scanner.id;
      return { tooLarge: { bytes: dropping.bytes, ...(id === undefined ? {} : { id }) } };
    }
    const text = (this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes)).toString("utf8");
    this.pending = [];
    this.pendingBytes = 0;
    return { text: text.endsWith("\r") ? text.slice(0, -1) : text };
  }
}
