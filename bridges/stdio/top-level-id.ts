// Finds the top-level "id" of a JSON-RPC message read byte by byte, holding only the id itself: the
// bridge uses it to fail the one request whose answer was too large to keep. The SDK puts "id"
// after "result", so it has to see the whole message go by.
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x7b, 0x5b]); // { [
const CLOSERS = new Set([0x7d, 0x5d]); // } ]
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
/** Longer keys cannot be "id"; longer values are not ids worth answering. */
const MAX_KEY_BYTES = 8;
const MAX_ID_BYTES = 256;

export class TopLevelIdScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private expectingKey = false;
  /** Bytes of the top-level key being read, while it may still be "id". */
  private key?: number[];
  private lastKey = "";
  /** Bytes of the top-level "id" value being read. */
  private value?: number[];
  private found?: RequestId;

  /** The id, once the whole of its value has gone by. */
  get id(): RequestId | undefined {
    return this.found;
  }

  push(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; at += 1) this.step(chunk[at]!);
  }

  private step(byte: number): void {
    if (this.value) {
      if (!this.inString && this.depth === 1 && (byte === COMMA || byte === CLOSE_BRACE)) this.finishValue();
      else if (this.value.length < MAX_ID_BYTES) this.value.push(byte);
      else this.value = undefined;
    }
    if (this.inString) {
      this.stepInString(byte);
      return;
    }
    if (byte === QUOTE) {
      this.inString = true;
      if (this.depth === 1 && this.expectingKey) {
        this.key = [];
        this.lastKey = "";
        this.expectingKey = false;
      }
    } else if (OPENERS.has(byte)) {
      this.depth += 1;
      if (this.depth === 1) this.expectingKey = byte === OPEN_BRACE;
    } else if (CLOSERS.has(byte)) {
      this.depth -= 1;
    } else if (this.depth === 1 && byte === COMMA) {
      this.expectingKey = true;
    } else if (this.depth === 1 && byte === COLON && this.lastKey === "id") {
      this.value = [];
      this.lastKey = "";
    }
  }

  private stepInString(byte: number): void {
    if (this.escaped) {
      this.escaped = false;
    } else if (byte === BACKSLASH) {
      this.escaped = true;
    } else if (byte === QUOTE) {
      this.inString = false;
      if (this.key) this.lastKey = Buffer.from(this.key).toString("utf8");
      this.key = undefined;
      return;
    }
    if (this.key) {
      if (this.key.length < MAX_KEY_BYTES) this.key.push(byte);
      else this.key = undefined;
    }
  }

  private finishValue(): void {
    const text = Buffer.from(this.value ?? []).toString("utf8");
    this.value = undefined;
    try {
      const id: unknown = JSON.parse(text);
      if (typeof id === "string" || typeof id === "number") this.found = id;
    } catch {
      // not an id a request could have had
    }
  }
}
