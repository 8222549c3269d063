// One supervised stdio MCP server: spawned on first use, shared by every caller, restarted with
// backoff after a crash, stopped again when idle. While it is not running, its recorded
// initialize answer and tool list stand in for it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { LimitFunction } from "p-limit";
import { z } from "zod";
import type { ProcessState, StdioServerStatus } from "../../schema/bridge-status.ts";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { BridgeError } from "../errors.ts";
import { pipeLines } from "../log.ts";
import { IdleWatch } from "./idle-watch.ts";
import type { ServerRecord, UpstreamIdentity } from "./server-store.ts";
import { RESULT_TOO_LARGE, StdioTransport, StdioTransportError } from "./stdio-transport.ts";

export interface ProcessOptions {
  /** Absolute working directory of the child. */
  cwd: string;
  /** Prepended to PATH, so catalogs can name the bundled servers' commands. */
  binDirs: string[];
  startTimeoutMs: number;
  /** First restart delay; doubles per crash in a row up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Stop after this long without a call; 0 keeps the process once started. */
  idleTimeoutMs: number;
  /** Largest message (a tool result, mostly) the server may send; see MAX_RESULT_BYTES. */
  maxResultBytes: number;
  record: ServerRecord;
  /** Shared by every server: bounds how many are started at once just to learn their tools. */
  discovery: LimitFunction;
}

/** What /status says of one server, before the registry adds its ping time. */
export type ProcessStatus = Omit<StdioServerStatus, "latencyMs">;

const AnyResult = z.looseObject({});
/** A process that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 30_000;

export class StdioServerProcess {
  state: ProcessState = "idle";
  /** Bumped when the process crashes: its sessions are stale. An idle stop keeps them. */
  generation = 0;
  private client?: Client;
  /** The tool listing that follows each start. */
  private listing?: Promise<void>;
  private readonly idle: IdleWatch;
  private transport?: StdioTransport;
  private starting?: Promise<Client>;
  private discovering?: Promise<void>;
  /** Settles when a restart after a crash is due (or the restart is called off). */
  private restartDue?: Promise<void>;
  private restartNow?: () => void;
  private restarts = 0;
  private crashesInARow = 0;
  private lastError?: string;
  private since = new Date();
  private runningSince = 0;
  private restartTimer?: NodeJS.Timeout;
  private nextStartAt?: Date;
  private stopping = false;

  constructor(
    readonly server: StdioServer,
    private readonly options: ProcessOptions,
  ) {
    this.idle = new IdleWatch(options.idleTimeoutMs, () => {
      if (this.state !== "running") return;
      console.error(`[bridge] MCP server '${server.name}' had no call for ${options.idleTimeoutMs / 1000} s; stopping it until the next one`);
      void this.stop("idle");
    });
  }

  /**
   * Starts the process if needed; resolves once it has answered `initialize`. A call that comes
   * during a start or a restart's backoff waits for it, if it is due within `waitMs`.
   */
  async start(waitMs = this.options.startTimeoutMs, deadline = Date.now() + waitMs): Promise<Client> {
    if (this.state === "backoff") await this.untilRestart(deadline, waitMs);
    if (this.client && this.state === "running") return this.client;
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return within(this.starting, deadline - Date.now(), () => this.notBackWithin(waitMs));
  }

  /** The server's initialize answer: the recorded one while it is not running. */
  async identity(waitMs: number): Promise<UpstreamIdentity> {
    if (this.state !== "running" && !this.options.record.get()) await this.discoverWithin(waitMs);
    const known = this.options.record.get();
    if (known && this.state !== "running") return known.identity;
    await this.start(waitMs);
    return this.options.record.get()!.identity;
  }

  /** Sends one JSON-RPC request; many may be in flight at once over the one pipe. */
  async request(method: string, params: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    if (method === "tools/list" && this.state !== "running" && !this.isKnown()) await this.discoverWithin(timeoutMs);
    const standIn = this.state === "running" ? undefined : this.answerWhileDown(method, params);
    if (standIn) return standIn;
    this.idle.callStarted();
    try {
      return await this.forward(method, params, deadline, timeoutMs);
    } finally {
      this.idle.callEnded();
    }
  }

  /** Whether its initialize answer and tools are on record, so it need not start to be listed. */
  isKnown(): boolean {
    const known = this.options.record.get();
    return known !== undefined && (known.tools !== undefined || !known.identity.capabilities.tools);
  }

  /**
   * Starts a server nothing is known about, records its answers, and stops it unless it got calls
   * meanwhile. Waits its turn: only a few servers are discovered at once.
   */
  discover(): Promise<void> {
    this.discovering ??= this.options.discovery(() => this.discoverNow()).finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discoverNow(): Promise<void> {
    if (this.isKnown()) return;
    const calls = this.idle.calls;
    await this.start();
    await this.listing;
    if (this.idle.calls === calls && !this.idle.busy && this.state === "running") await this.stop("idle");
  }

  private discoverWithin(waitMs: number): Promise<void> {
    const late = () =>
      new BridgeError(
        503,
        `MCP server '${this.server.name}' is still being discovered (servers are started a few at a time to learn their tools); try again shortly`,
      );
    return within(this.discover(), waitMs, late);
  }

  private answerWhileDown(method: string, params: unknown): Record<string, unknown> | undefined {
    if (method === "ping" && this.state === "idle") return {};
    const tools = this.options.record.get()?.tools;
    if (method === "tools/list" && !hasCursor(params) && tools) return tools;
    return undefined;
  }

  private async forward(method: string, params: unknown, deadline: number, timeoutMs: number): Promise<Record<string, unknown>> {
    const client = await this.start(timeoutMs, deadline);
    const remainingMs = Math.max(1, deadline - Date.now());
    try {
      const result = await client.request({ method, params: params as Record<string, unknown> }, AnyResult, {
        timeout: remainingMs,
        maxTotalTimeout: remainingMs,
      });
      if (method === "tools/list" && !hasCursor(params)) this.options.record.update({ tools: result });
      return result;
    } catch (error) {
      if (error instanceof McpError && error.code === RESULT_TOO_LARGE) {
        const { bytes, limit } = error.data as { bytes: number; limit: number };
        throw new BridgeError(
          502,
          `MCP server '${this.server.name}' answered ${method} with ${bytes} bytes, over the limit of ${limit} bytes (MAX_RESULT_BYTES)`,
          "result_too_large",
        );
      }
      if (client !== this.client || this.state !== "running") {
        throw new BridgeError(502, `MCP server '${this.server.name}' exited while handling ${method}: ${this.lastError ?? "the connection closed"}`);
      }
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new BridgeError(504, `MCP server '${this.server.name}' did not answer ${method} within ${timeoutMs} ms`);
      }
      throw error;
    }
  }

  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    const client = this.client;
    if (!client || this.state !== "running") throw this.unavailable();
    await client.ping({ timeout: timeoutMs });
    return performance.now() - started;
  }

  status(): ProcessStatus {
    return {
      state: this.state,
      pid: this.transport?.pid ?? null,
      restarts: this.restarts,
      known: this.isKnown(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      since: this.since.toISOString(),
      ...(this.state === "backoff" && this.nextStartAt ? { nextStartAt: this.nextStartAt.toISOString() } : {}),
    };
  }

  /** A planned stop: `idle` until the next call, or `stopped` with the bridge. */
  async stop(next: "idle" | "stopped" = "stopped"): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartNow?.();
    this.idle.cancel();
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    // Before closing: a call that arrives meanwhile must start a new process, not find this one.
    this.setState(next);
    await client?.close().catch(() => {});
  }

  private async spawn(): Promise<Client> {
    this.stopping = false;
    this.setState("starting");
    const { server, options } = this;
    console.error(`[bridge] starting MCP server '${server.name}'`);
    const transport = new StdioTransport({
      command: server.command,
      args: server.args,
      cwd: options.cwd,
      env: {
        ...getDefaultEnvironment(),
        PATH: [...options.binDirs, process.env.PATH ?? ""].join(":"),
        ...server.env,
      },
      maxMessageBytes: options.maxResultBytes,
    });
    pipeLines(transport.stderr, `[${server.name}] `);
    const client = new Client({ name: "mcp-proxy-bridge", version: "0.1.0" }, { capabilities: {} });
    transport.onerror = (error) => {
      this.lastError = error instanceof StdioTransportError ? error.message : "the connection failed";
      console.error(`[bridge] MCP server '${server.name}' ${this.lastError}`);
    };
    try {
      await client.connect(transport, { timeout: options.startTimeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      const reason = startFailure(error, transport, options.startTimeoutMs);
      this.crashed(`could not start: ${reason}`);
      throw new BridgeError(502, `MCP server '${server.name}' could not start: ${reason}`);
    }
    this.client = client;
    this.transport = transport;
    this.runningSince = Date.now();
    this.setState("running");
    client.onclose = () => {
      if (this.client !== client) return;
      this.client = undefined;
      if (!this.stopping) this.crashed(transport.exitReason ?? "the connection closed");
    };
    this.options.record.update({ identity: identityOf(client, server.name) });
    this.listing = this.listTools(client);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void this.listTools(client));
    this.idle.touch();
    return client;
  }

  /** Records the server's tools; a failure keeps the last record and surfaces on the next call. */
  private async listTools(client: Client): Promise<void> {
    if (!client.getServerCapabilities()?.tools) return;
    try {
      this.options.record.update({ tools: await client.request({ method: "tools/list", params: {} }, AnyResult) });
    } catch (error) {
      console.error(`[bridge] MCP server '${this.server.name}' did not list its tools: ${(error as Error).message}`);
    }
  }

  private crashed(reason: string): void {
    this.lastError = reason;
    if (this.stopping) return;
    this.generation += 1;
    if (Date.now() - this.runningSince > STABLE_AFTER_MS) this.crashesInARow = 0;
    const delay = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** this.crashesInARow);
    this.crashesInARow += 1;
    this.restarts += 1;
    this.nextStartAt = new Date(Date.now() + delay);
    this.setState("backoff");
    console.error(`[bridge] MCP server '${this.server.name}' stopped (${reason}); restarting in ${delay} ms`);
    clearTimeout(this.restartTimer);
    this.restartDue ??= new Promise<void>((due) => (this.restartNow = due));
    this.restartTimer = setTimeout(() => {
      this.setState("idle"); // also lets the calls waiting for the restart go on
      this.start().catch(() => {});
    }, delay);
    this.restartTimer.unref();
  }

  /** Waits out the backoff after a crash, or refuses at once if it ends after `deadline`. */
  private async untilRestart(deadline: number, waitMs: number): Promise<void> {
    if ((this.nextStartAt?.getTime() ?? 0) > deadline) throw this.notBackWithin(waitMs);
    await this.restartDue;
    // A restart that failed at once is in backoff again: starting here would skip the backoff.
    if (this.state === "backoff") throw this.notBackWithin(waitMs);
    if (this.state === "stopped") throw new BridgeError(503, `MCP server '${this.server.name}' is not running: the bridge is shutting down`);
  }

  private notBackWithin(waitMs: number): BridgeError {
    const when = this.nextStartAt && this.state === "backoff" ? `; it restarts at ${this.nextStartAt.toISOString()}` : "";
    return new BridgeError(
      503,
      `MCP server '${this.server.name}' is restarting and will not be back within ${waitMs} ms (${this.lastError ?? this.state}${when})`,
    );
  }

  private unavailable(): BridgeError {
    return new BridgeError(503, `MCP server '${this.server.name}' is not running (${this.state}${this.lastError ? `: ${this.lastError}` : ""})`);
  }

  private setState(state: ProcessState): void {
    this.state = state;
    this.since = new Date();
    if (state !== "backoff" && this.restartDue) {
      this.restartNow?.();
      this.restartDue = this.restartNow = undefined;
    }
  }
}

function identityOf(client: Client, name: string): UpstreamIdentity {
  const instructions = client.getInstructions();
  return {
    capabilities: client.getServerCapabilities() ?? {},
    serverInfo: client.getServerVersion() ?? { name, version: "unknown" },
    ...(instructions ? { instructions } : {}),
  };
}

/** Why a start failed, in the bridge's words: never what the server wrote. */
function startFailure(error: unknown, transport: StdioTransport, startTimeoutMs: number): string {
  if (error instanceof StdioTransportError) return error.message;
  if (transport.exitReason) return `${transport.exitReason} before answering initialize`;
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return `it did not answer initialize within ${startTimeoutMs} ms`;
  if (error instanceof McpError) return `it refused initialize (JSON-RPC error ${error.code})`;
  return "its answer to initialize was not accepted";
}

/** `promise`, or the error `late()` makes if it has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  if (ms <= 0) {
    promise.catch(() => {}); // its outcome no longer matters to this caller
    return Promise.reject(late());
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(late()), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function hasCursor(params: unknown): boolean {
  return typeof params === "object" && params !== null && (params as { cursor?: unknown }).cursor !== undefined;
}
