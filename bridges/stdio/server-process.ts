// One supervised stdio MCP server: spawned on first use, shared by every caller, restarted with
// backoff after a crash, stopped again when idle. While it is not running, its recorded
// initialize answer and tool list stand in for it. Its states and what moves it between them are
// the table in lifecycle.ts; this class does the I/O that goes with each move.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ProgressNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import type { LimitFunction } from "p-limit";
import { z } from "zod";
import type { StdioCounts } from "../../schema/bridge-metrics.ts";
import type { ProcessState, StdioServerStatus } from "../../schema/bridge-status.ts";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { Restarts } from "../backoff.ts";
import { BridgeError } from "../errors.ts";
import { log } from "../log.ts";
import { IdleWatch } from "./idle-watch.ts";
import { Lifecycle } from "./lifecycle.ts";
import { type OnProgress, ProgressRoutes } from "./progress-routes.ts";
import type { ServerRecord, UpstreamIdentity } from "./server-store.ts";
import { callFailure, connectUpstream, identityOf, newUpstream, type Upstream, type UpstreamOptions } from "./upstream.ts";
import { within } from "./within.ts";

export interface ProcessOptions extends UpstreamOptions {
  startTimeoutMs: number;
  /** First restart delay; doubles per crash in a row up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Stop after this long without a call; 0 keeps the process once started. */
  idleTimeoutMs: number;
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
  /** Bumped when the process crashes: its sessions are stale. An idle stop keeps them. */
  generation = 0;
  private readonly lifecycle = new Lifecycle();
  private readonly idle: IdleWatch;
  /** The process of the latest start, from its spawn until it exits or is stopped. */
  private current?: Upstream;
  /** The latest start; calls that come while it is under way wait for it. */
  private starting?: Promise<Client>;
  /** The tool listing that follows each start. */
  private listing?: Promise<void>;
  private discovering?: Promise<void>;
  private readonly restarts: Restarts;
  private readonly progress = new ProgressRoutes();
  private lastError?: string;
  /** What the supervisor did since the bridge started, for GET /metrics. */
  readonly counts: StdioCounts = { starts: 0, crashes: 0, startFailures: 0, restarts: 0 };

  constructor(
    readonly server: StdioServer,
    private readonly options: ProcessOptions,
  ) {
    this.idle = new IdleWatch(options.idleTimeoutMs, () => {
      if (this.state !== "running") return;
      log.info(`MCP server '${server.name}' had no call for ${options.idleTimeoutMs / 1000} s; stopping it until the next one`);
      void this.stop("idle");
    });
    this.restarts = new Restarts({ firstDelayMs: options.backoffMs, maxDelayMs: options.maxBackoffMs, stableAfterMs: STABLE_AFTER_MS });
  }

  get state(): ProcessState {
    return this.lifecycle.state;
  }

  /**
   * Starts the process if needed; resolves once it has answered `initialize`. A call that comes
   * during a start or a restart's backoff waits for it, if it is due within `waitMs`.
   */
  async start(waitMs = this.options.startTimeoutMs, deadline = Date.now() + waitMs): Promise<Client> {
    if (this.state === "backoff") await this.untilRestart(deadline, waitMs);
    const running = this.runningClient();
    if (running) return running;
    if (this.state === "stopped") throw this.unavailable();
    // A restart that failed at once is in backoff again: starting here would skip the backoff.
    if (this.state === "backoff") throw this.notBackWithin(waitMs);
    if (this.lifecycle.fire("start")) this.launch();
    return within(this.starting!, deadline - Date.now(), () => this.notBackWithin(waitMs));
  }

  /** The server's initialize answer: the recorded one while it is not running. */
  async identity(waitMs: number): Promise<UpstreamIdentity> {
    if (this.state !== "running" && !this.options.record.get()) await this.discoverWithin(waitMs);
    const known = this.options.record.get();
    if (known && this.state !== "running") return known.identity;
    await this.start(waitMs);
    return this.options.record.get()!.identity;
  }

  /**
   * Sends one JSON-RPC request; many may be in flight at once over the one pipe. `onProgress` gets
   * the server's progress reports for it.
   */
  async request(method: string, params: unknown, timeoutMs: number, onProgress?: OnProgress): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    if (method === "tools/list" && this.state !== "running" && !this.isKnown()) await this.discoverWithin(timeoutMs);
    const standIn = this.state === "running" ? undefined : this.answerWhileDown(method, params);
    if (standIn) return standIn;
    this.idle.callStarted();
    try {
      return await this.forward(method, params, deadline, timeoutMs, onProgress);
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

  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    const client = this.runningClient();
    if (!client) throw this.unavailable();
    await client.ping({ timeout: timeoutMs });
    return performance.now() - started;
  }

  status(): ProcessStatus {
    const { state, since } = this.lifecycle;
    return {
      state,
      pid: this.current?.transport.pid ?? null,
      restarts: this.restarts.count,
      known: this.isKnown(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      since: since.toISOString(),
      ...(state === "backoff" && this.restarts.dueAt ? { nextStartAt: new Date(this.restarts.dueAt).toISOString() } : {}),
    };
  }

  /** A planned stop: `idle` until the next call (only from `running`), or `stopped` with the bridge. */
  async stop(next: "idle" | "stopped" = "stopped"): Promise<void> {
    if (!this.lifecycle.fire(next === "idle" ? "idleStop" : "shutdown")) return;
    this.restarts.cancel();
    this.idle.cancel();
    const client = this.current?.client;
    // Before closing: a call that arrives meanwhile must start a new process, not find this one.
    this.current = undefined;
    await client?.close().catch(() => {});
  }

  private async discoverNow(): Promise<void> {
    if (this.isKnown()) return;
    const calls = this.idle.calls;
    await this.start();
    await this.listing;
    if (this.idle.calls === calls && !this.idle.busy) await this.stop("idle");
  }

  private discoverWithin(waitMs: number): Promise<void> {
    const why = "servers are started a few at a time to learn their tools";
    const late = () => new BridgeError("not_running", `MCP server '${this.server.name}' is still being discovered (${why}); try again shortly`);
    return within(this.discover(), waitMs, late);
  }

  private answerWhileDown(method: string, params: unknown): Record<string, unknown> | undefined {
    if (method === "ping" && this.state === "idle") return {};
    const tools = this.options.record.get()?.tools;
    if (method === "tools/list" && !hasCursor(params) && tools) return tools;
    return undefined;
  }

  private async forward(method: string, params: unknown, deadline: number, timeoutMs: number, onProgress?: OnProgress): Promise<Record<string, unknown>> {
    const client = await this.start(timeoutMs, deadline);
    const remainingMs = Math.max(1, deadline - Date.now());
    try {
      const options = { timeout: remainingMs, maxTotalTimeout: remainingMs };
      const result = await this.progress.around(params, onProgress, (sent) => client.request({ method, params: sent }, AnyResult, options));
      if (method === "tools/list" && !hasCursor(params)) this.options.record.update({ tools: result });
      return result;
    } catch (error) {
      const exited = client === this.runningClient() ? undefined : (this.lastError ?? "the connection closed");
      throw callFailure(error, { server: this.server.name, method, timeoutMs, exited });
    }
  }

  private runningClient(): Client | undefined {
    return this.state === "running" ? this.current?.client : undefined;
  }

  /** Spawns the process of a start the lifecycle has just entered. */
  private launch(): void {
    this.counts.starts += 1;
    this.starting = this.spawn();
    this.starting.catch(() => {}); // a restart nobody waits for: its failure is logged and in /status
  }

  private async spawn(): Promise<Client> {
    const { server, options } = this;
    log.info(`starting MCP server '${server.name}'`);
    const upstream = newUpstream(server, options, (description) => {
      this.lastError = description;
      log.warn(`MCP server '${server.name}' ${description}`);
    });
    this.current = upstream;
    const { client, transport } = upstream;
    client.onclose = () => {
      if (this.state === "running") this.crashed(client, "crash", transport.exitReason ?? "the connection closed");
    };
    try {
      await connectUpstream(upstream, options.startTimeoutMs);
    } catch (error) {
      if (this.current !== upstream) throw this.unavailable(); // stopped meanwhile
      this.crashed(client, "startFailed", `could not start: ${(error as Error).message}`);
      throw new BridgeError("failed", `MCP server '${server.name}' could not start: ${(error as Error).message}`, { cause: error });
    }
    if (this.current !== upstream || !this.lifecycle.fire("ready")) throw this.unavailable();
    this.ready(client);
    return client;
  }

  /** Records what the server said about itself, and keeps its tool list up to date. */
  private ready(client: Client): void {
    this.options.record.update({ identity: identityOf(client, this.server.name) });
    this.listing = this.listTools(client);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void this.listTools(client));
    client.setNotificationHandler(ProgressNotificationSchema, (notification) => this.progress.deliver(notification));
    this.idle.touch();
  }

  /** Records the server's tools; a failure keeps the last record and surfaces on the next call. */
  private async listTools(client: Client): Promise<void> {
    if (!client.getServerCapabilities()?.tools) return;
    try {
      this.options.record.update({ tools: await client.request({ method: "tools/list", params: {} }, AnyResult) });
    } catch (error) {
      log.warn(`MCP server '${this.server.name}' did not list its tools: ${(error as Error).message}`);
    }
  }

  /** The process of `client` exited unasked, running or while starting: restart it after a backoff. */
  private crashed(client: Client, event: "crash" | "startFailed", reason: string): void {
    if (this.current?.client !== client) return; // a planned stop let it go first
    const upForMs = event === "crash" ? Date.now() - this.lifecycle.since.getTime() : 0;
    this.current = undefined;
    this.lastError = reason;
    if (!this.lifecycle.fire(event)) return;
    this.counts[event === "crash" ? "crashes" : "startFailures"] += 1;
    this.generation += 1;
    const delayMs = this.restarts.plan(upForMs, () => this.retry());
    log.warn(`MCP server '${this.server.name}' stopped (${reason}); restarting in ${delayMs} ms`);
  }

  private retry(): void {
    if (!this.lifecycle.fire("retry")) return;
    this.counts.restarts += 1;
    this.launch();
  }

  /** Waits out the backoff after a crash, or refuses at once if it ends after `deadline`. */
  private async untilRestart(deadline: number, waitMs: number): Promise<void> {
    if ((this.restarts.dueAt ?? 0) > deadline) throw this.notBackWithin(waitMs);
    await this.lifecycle.changed();
  }

  private notBackWithin(waitMs: number): BridgeError {
    const { dueAt } = this.restarts;
    const when = dueAt && this.state === "backoff" ? `; it restarts at ${new Date(dueAt).toISOString()}` : "";
    return new BridgeError(
      "not_running",
      `MCP server '${this.server.name}' is restarting and will not be back within ${waitMs} ms (${this.lastError ?? this.state}${when})`,
    );
  }

  private unavailable(): BridgeError {
    const why = this.state === "stopped" ? ": the bridge is shutting down" : this.lastError ? `: ${this.lastError}` : "";
    return new BridgeError("not_running", `MCP server '${this.server.name}' is not running (${this.state}${why})`);
  }
}

function hasCursor(params: unknown): boolean {
  return typeof params === "object" && params !== null && (params as { cursor?: unknown }).cursor !== undefined;
}
