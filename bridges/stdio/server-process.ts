// One supervised stdio MCP server: spawned on first use, shared by every caller, restarted with
// backoff after a crash, stopped again when idle. While it is not running, its recorded
// initialize answer and tool list stand in for it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { BridgeError } from "../errors.ts";
import { pipeLines } from "../log.ts";
import { IdleWatch } from "./idle-watch.ts";
import type { ServerRecord, UpstreamIdentity } from "./server-store.ts";

/** `idle`: not running, starts on the next call. `stopped`: shut down with the bridge. */
export type ProcessState = "idle" | "starting" | "running" | "backoff" | "stopped";

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
  record: ServerRecord;
}

export interface ProcessStatus {
  state: ProcessState;
  pid: number | null;
  restarts: number;
  lastError?: string;
  /** When the current state began (ISO 8601). */
  since: string;
  nextStartAt?: string;
}

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
  private transport?: StdioClientTransport;
  private starting?: Promise<Client>;
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

  /** Starts the process if needed; resolves once it has answered `initialize`. */
  start(): Promise<Client> {
    if (this.client && this.state === "running") return Promise.resolve(this.client);
    if (this.state === "backoff") return Promise.reject(this.unavailable());
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** The server's initialize answer: the recorded one while it is not running. */
  async identity(): Promise<UpstreamIdentity> {
    const known = this.options.record.get();
    if (known && this.state !== "running") return known.identity;
    await this.start();
    return this.options.record.get()!.identity;
  }

  /** Sends one JSON-RPC request; many may be in flight at once over the one pipe. */
  async request(method: string, params: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
    const standIn = this.state === "running" ? undefined : this.answerWhileDown(method, params);
    if (standIn) return standIn;
    this.idle.callStarted();
    try {
      return await this.forward(method, params, timeoutMs);
    } finally {
      this.idle.callEnded();
    }
  }

  /** Whether its initialize answer and tools are on record, so it need not start to be listed. */
  isKnown(): boolean {
    const known = this.options.record.get();
    return known !== undefined && (known.tools !== undefined || !known.identity.capabilities.tools);
  }

  /** Starts a server nothing is known about, records its answers, and stops it unless it got calls meanwhile. */
  async discover(): Promise<void> {
    const calls = this.idle.calls;
    await this.start();
    await this.listing;
    if (this.idle.calls === calls && !this.idle.busy && this.state === "running") await this.stop("idle");
  }

  private answerWhileDown(method: string, params: unknown): Record<string, unknown> | undefined {
    if (method === "ping" && this.state === "idle") return {};
    const tools = this.options.record.get()?.tools;
    if (method === "tools/list" && !hasCursor(params) && tools) return tools;
    return undefined;
  }

  private async forward(method: string, params: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
    const client = await this.start();
    try {
      const result = await client.request({ method, params: params as Record<string, unknown> }, AnyResult, {
        timeout: timeoutMs,
        maxTotalTimeout: timeoutMs,
      });
      if (method === "tools/list" && !hasCursor(params)) this.options.record.update({ tools: result });
      return result;
    } catch (error) {
      if (client !== this.client || this.state !== "running") {
        throw new BridgeError(502, `MCP server '${this.server.name}' exited while handling ${method}: ${this.lastError ?? "connection closed"}`);
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
      ...(this.lastError ? { lastError: this.lastError } : {}),
      since: this.since.toISOString(),
      ...(this.state === "backoff" && this.nextStartAt ? { nextStartAt: this.nextStartAt.toISOString() } : {}),
    };
  }

  /** A planned stop: `idle` until the next call, or `stopped` with the bridge. */
  async stop(next: "idle" | "stopped" = "stopped"): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
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
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      cwd: options.cwd,
      env: {
        ...getDefaultEnvironment(),
        PATH: [...options.binDirs, process.env.PATH ?? ""].join(":"),
        ...server.env,
      },
      stderr: "pipe",
    });
    if (transport.stderr) pipeLines(transport.stderr, `[${server.name}] `);
    const client = new Client({ name: "mcp-proxy-bridge", version: "0.1.0" }, { capabilities: {} });
    transport.onerror = (error) => (this.lastError = error.message);
    try {
      await client.connect(transport, { timeout: options.startTimeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      this.crashed(`could not start: ${(error as Error).message}`);
      throw new BridgeError(502, `MCP server '${server.name}' could not start: ${(error as Error).message}`);
    }
    this.client = client;
    this.transport = transport;
    this.runningSince = Date.now();
    this.setState("running");
    client.onclose = () => {
      if (this.client !== client) return;
      this.client = undefined;
      if (!this.stopping) this.crashed(this.lastError ?? "the process exited");
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
    this.restartTimer = setTimeout(() => {
      this.state = "idle";
      this.start().catch(() => {});
    }, delay);
    this.restartTimer.unref();
  }

  private unavailable(): BridgeError {
    const when = this.nextStartAt ? ` (restarting at ${this.nextStartAt.toISOString()})` : "";
    return new BridgeError(503, `MCP server '${this.server.name}' is not running${when}: ${this.lastError ?? this.state}`);
  }

  private setState(state: ProcessState): void {
    this.state = state;
    this.since = new Date();
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

function hasCursor(params: unknown): boolean {
  return typeof params === "object" && params !== null && (params as { cursor?: unknown }).cursor !== undefined;
}
