// The bridge's side of a stdio MCP server: spawns it and exchanges newline-delimited JSON-RPC over
// its stdin and stdout, like the SDK's StdioClientTransport, but with a size limit per message
// that fails the one request whose answer is too large instead of closing the connection, and
// errors that describe what happened without quoting what the server wrote.
import { spawn, type ChildProcess } from "node:child_process";
import { PassThrough } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { JSONRPCMessageSchema, type JSONRPCMessage, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import { LineReader } from "./line-reader.ts";

/** The JSON-RPC error code of a request whose answer was over the limit (server-defined range). */
export const RESULT_TOO_LARGE = -32_090;

export interface StdioTransportOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Largest message the server may send; a larger one is dropped and its request failed. */
  maxMessageBytes: number;
}

/** A failure described in the bridge's own words: safe for logs, /status and callers. */
export class StdioTransportError extends Error {
  override name = "StdioTransportError";
}

const CLOSE_GRACE_MS = 2_000;

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** How the process ended, once it has ("the process exited (code 1)"). */
  exitReason?: string;
  /** The server's stderr, readable before start so no early line is lost. */
  readonly stderr = new PassThrough();
  private child?: ChildProcess;
  private readonly reader: LineReader;

  constructor(private readonly options: StdioTransportOptions) {
    this.reader = new LineReader(options.maxMessageBytes);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): Promise<void> {
    if (this.child) throw new Error("StdioTransport already started");
    const { command, args, cwd, env } = this.options;
    const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"], shell: false });
    this.child = child;
    child.stdout?.on("data", (chunk: Buffer) => this.read(chunk));
    child.stderr?.pipe(this.stderr);
    child.stdin?.on("error", (error: NodeJS.ErrnoException) => this.fail(`could not write to the process (${error.code ?? "error"})`));
    child.stdout?.on("error", (error: NodeJS.ErrnoException) => this.fail(`could not read from the process (${error.code ?? "error"})`));
    child.on("close", (code, signal) => {
      this.exitReason ??= signal ? `the process was killed (${signal})` : `the process exited (code ${code})`;
      this.child = undefined;
      this.reader.clear();
      this.onclose?.();
    });
    return new Promise((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error: NodeJS.ErrnoException) => {
        const failure = new StdioTransportError(`could not run '${command}' (${error.code ?? "error"})`);
        this.exitReason = failure.message;
        reject(failure);
        this.onerror?.(failure);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin) return Promise.reject(new StdioTransportError("the process is not running"));
    return new Promise((resolve) => {
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once("drain", resolve);
    });
  }

  /** Ends stdin, then escalates to SIGTERM and SIGKILL if the process does not exit. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const closed = new Promise<void>((done) => child.once("close", () => done()));
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    const graceful = (ms: number) => Promise.race([closed, new Promise((done) => setTimeout(done, ms).unref())]);
    child.stdin?.end();
    await graceful(CLOSE_GRACE_MS);
    if (!exited()) child.kill("SIGTERM");
    await graceful(CLOSE_GRACE_MS);
    if (!exited()) child.kill("SIGKILL");
  }

  private read(chunk: Buffer): void {
    for (const line of this.reader.push(chunk)) {
      if ("tooLarge" in line) this.refuse(line.tooLarge.bytes, line.tooLarge.id);
      else if (line.text.trim()) this.deliver(line.text);
    }
  }

  private deliver(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.fail(`sent a line of ${Buffer.byteLength(text)} bytes that is not JSON`);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(message);
    if (parsed.success) this.onmessage?.(parsed.data);
    else this.fail(`sent a line of ${Buffer.byteLength(text)} bytes that is not a JSON-RPC message`);
  }

  /** Answers the request in place of the server, so only its caller sees the failure. */
  private refuse(bytes: number, id: RequestId | undefined): void {
    const limit = this.options.maxMessageBytes;
    const description = `sent a message of ${bytes} bytes, over the ${limit}-byte limit (MAX_RESULT_BYTES)`;
    this.fail(id === undefined ? `${description}, answering no request it could be matched to` : description);
    if (id !== undefined) this.onmessage?.({ jsonrpc: "2.0", id, error: { code: RESULT_TOO_LARGE, message: description, data: { bytes, limit } } });
  }

  private fail(description: string): void {
    this.onerror?.(new StdioTransportError(description));
  }
}
