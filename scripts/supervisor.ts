// Keeps one child process of `npm start` running: when it crashes, it is started again after a
// delay that doubles from 1 s up to 30 s, back to 1 s once it has stayed up a minute. It never
// gives up: what else runs (the worker serving remote servers, or the bridge) stays useful
// meanwhile, and each attempt is logged. An exit that was asked for (code 0, SIGINT, SIGTERM) or
// one that says retrying is pointless (the bridge refusing its configuration) stops everything.
import type { ChildProcess } from "node:child_process";
import { Restarts, type RestartPolicy } from "../bridges/backoff.ts";
import { terminate } from "./stack.ts";

export const RESTART_POLICY: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const ASKED_TO_STOP: ReadonlySet<string> = new Set(["SIGINT", "SIGTERM", "SIGHUP"]);

export function wasAskedToStop(exit: Exit): boolean {
  return exit.code === 0 || (exit.signal !== null && ASKED_TO_STOP.has(exit.signal));
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

export interface SupervisorOptions {
  /** For the log: "the bridge". */
  name: string;
  /** The child already running (started and checked by startStack). */
  first: ChildProcess;
  /** Starts it again, exactly as before (same port, same BRIDGE_TOKEN). */
  start: () => ChildProcess;
  /** An exit that no restart can cure; the reason is logged and everything stops. */
  hopeless?: (exit: Exit) => string | undefined;
  /** Everything must stop: the child was asked to, or cannot be restarted. */
  onStop: (exitCode: number) => void;
  log: (line: string) => void;
  policy?: RestartPolicy;
}

export class Supervisor {
  private child: ChildProcess;
  private startedAt = Date.now();
  private readonly restarts: Restarts;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.restarts = new Restarts(options.policy ?? RESTART_POLICY);
    this.child = options.first;
    this.watch(this.child);
  }

  /** Cancels a waiting restart and stops the child (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.restarts.cancel();
    await terminate(this.child);
  }

  private watch(child: ChildProcess): void {
    let seen = false;
    const exited = (exit: Exit) => {
      if (seen) return;
      seen = true;
      this.exited(exit);
    };
    child.once("exit", (code, signal) => exited({ code, signal }));
    // A child that could not even be spawned emits "error" and may never emit "exit".
    child.once("error", (error) => {
      this.options.log(`${this.options.name} could not be started: ${error.message}`);
      exited({ code: 1, signal: null });
    });
  }

  private exited(exit: Exit): void {
    if (this.stopping) return;
    const { name, log, onStop } = this.options;
    const hopeless = this.options.hopeless?.(exit);
    if (hopeless) {
      log(`${name} ${hopeless}: not restarting it; stopping`);
      onStop(exit.code || 1);
      return;
    }
    if (wasAskedToStop(exit)) {
      log(`${name} stopped (${describeExit(exit)}); stopping`);
      onStop(0);
      return;
    }
    const upForMs = Date.now() - this.startedAt;
    const delayMs = this.restarts.plan(upForMs, () => this.restart());
    log(`${name} exited (${describeExit(exit)}) after ${seconds(upForMs)}; restarting it in ${seconds(delayMs)}`);
  }

  private restart(): void {
    if (this.stopping) return;
    this.startedAt = Date.now();
    this.child = this.options.start();
    this.watch(this.child);
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
