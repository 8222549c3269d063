// The life of one supervised stdio server, as a table: which event moves it from which state to
// which. ServerProcess does the I/O (spawning, the SDK client, timers) and asks this table before
// each change, so every state change goes through `Lifecycle.fire` and the table is the whole story.
import type { ProcessState } from "../../schema/bridge-status.ts";

export type LifecycleEvent =
  /** A call (or discovery) needs the process. */
  | "start"
  /** It answered `initialize`. */
  | "ready"
  /** It exited, or its answer to `initialize` failed or came too late. */
  | "startFailed"
  /** The running process exited without being asked to. */
  | "crash"
  /** The backoff after a crash or a failed start is over. */
  | "retry"
  /** No call for the idle timeout, or discovery is done with it: stop until the next call. */
  | "idleStop"
  /** The bridge is stopping. */
  | "shutdown";

/** Every allowed transition; an event absent from a state's row is ignored in that state. */
export const TRANSITIONS: Readonly<Record<ProcessState, Readonly<Partial<Record<LifecycleEvent, ProcessState>>>>> = {
  idle: { start: "starting", shutdown: "stopped" },
  starting: { ready: "running", startFailed: "backoff", shutdown: "stopped" },
  running: { crash: "backoff", idleStop: "idle", shutdown: "stopped" },
  backoff: { retry: "starting", shutdown: "stopped" },
  stopped: {},
};

/** The state `event` leads to from `state`, or undefined if the table has no such transition. */
export function transition(state: ProcessState, event: LifecycleEvent): ProcessState | undefined {
  return TRANSITIONS[state][event];
}

/** The current state, when it began, and a way to wait for the next change. */
export class Lifecycle {
  private current: ProcessState = "idle";
  private began = new Date();
  private next = changeSignal();

  get state(): ProcessState {
    return this.current;
  }

  get since(): Date {
    return this.began;
  }

  /** Applies `event`: true if it moved to another state, false if the table ignores it here. */
  fire(event: LifecycleEvent): boolean {
    const next = transition(this.current, event);
    if (!next) return false;
    this.current = next;
    this.began = new Date();
    this.next.settle();
    this.next = changeSignal();
    return true;
  }

  /** Settles at the next state change. */
  changed(): Promise<void> {
    return this.next.promise;
  }
}

function changeSignal(): { promise: Promise<void>; settle: () => void } {
  let settle = () => {};
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
}
