// One supervised stdio MCP server: spawned once, shared by every caller, restarted with backoff.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError, type Implementation, type ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { BridgeError } from "../errors.ts";
import { pipeLines } from "../log.ts";

export type ProcessState = "stopped" | "starting" | "running" | "backoff";

export interface ProcessOptions {
  /** Absolute working directory of the child. */
  cwd: string;
  /** Prepended to PATH, so catalogs can name the bundled servers' commands. */
  binDirs: string[];
  startTimeoutMs: number;
  /** First restart delay; doubles per crash in a row up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
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

export interface UpstreamIdentity {
  capabilities: ServerCapabilities;
  serverInfo: Implementation;
  instructions?: string;
}

const AnyResult = z.looseObject({});
/** A process that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 30_000;

export class StdioServerProcess {
  state: ProcessState = "stopped";
  /** Bumped on every start: sessions from an earlier process are stale. */
  generation = 0;
  private client?: Client;
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
  ) {}

  /** Starts the process if needed; resolves once it has answered `initialize`. */
  start(): Promise<Client> {
    if (this.client && this.state === "running") return Promise.resolve(this.client);
    if (this.state === "backoff") return Promise.reject(this.unavailable());
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  identity(): UpstreamIdentity {
    const client = this.client;
    if (!client) throw this.unavailable();
    return {
      capabilities: client.getServerCapabilities() ?? {},
      serverInfo: client.getServerVersion() ?? { name: this.server.name, version: "unknown" },
      ...(client.getInstructions() ? { instructions: client.getInstructions() } : {}),
    };
  }

  /** Sends one JSON-RPC request; many may be in flight at once over the one pipe. */
  async request(method: string, params: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
    const client = await this.start();
    try {
      return await client.request({ method, params: params as Record<string, unknown> }, AnyResult, {
        timeout: timeoutMs,
        maxTotalTimeout: timeoutMs,
      });
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

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
    this.setState("stopped");
  }

  private async spawn(): Promise<Client> {
    this.stopping = false;
    this.setState("starting");
    const { server, options } = this;
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
    this.generation += 1;
    this.runningSince = Date.now();
    this.setState("running");
    client.onclose = () => {
      if (this.client !== client) return;
      this.client = undefined;
      if (!this.stopping) this.crashed(this.lastError ?? "the process exited");
    };
    return client;
  }

  private crashed(reason: string): void {
    this.lastError = reason;
    if (this.stopping) return;
    if (Date.now() - this.runningSince > STABLE_AFTER_MS) this.crashesInARow = 0;
    const delay = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** this.crashesInARow);
    this.crashesInARow += 1;
    this.restarts += 1;
    this.nextStartAt = new Date(Date.now() + delay);
    this.setState("backoff");
    console.error(`[bridge] MCP server '${this.server.name}' stopped (${reason}); restarting in ${delay} ms`);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.state = "stopped";
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
