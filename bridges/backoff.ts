// How long to wait before starting a crashed process again: a delay that doubles per crash in a row
// up to a ceiling, and starts again from the first once the process had stayed up a while. Used by
// the bridge for each stdio server and by `npm start` for the bridge and the worker.

export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A process up at least this long crashed for a new reason: the delay starts again from the first. */
  stableAfterMs: number;
}

/** The delay before the next start, given the last delay (none before the first crash) and how long the process ran. */
export function nextDelay(lastDelayMs: number | undefined, upForMs: number, policy: RestartPolicy): number {
  if (lastDelayMs === undefined || upForMs >= policy.stableAfterMs) return policy.firstDelayMs;
  return Math.min(lastDelayMs * 2, policy.maxDelayMs);
}

/** The restarts of one process: how many were planned so far, and the one waiting, if any. */
export class Restarts {
  count = 0;
  /** When the waiting restart is due (epoch ms). */
  dueAt?: number;
  private lastDelayMs?: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly policy: RestartPolicy) {}

  /** Plans `restart` after a crash of a process that had been up `upForMs`; returns the delay. */
  plan(upForMs: number, restart: () => void): number {
    const delayMs = nextDelay(this.lastDelayMs, upForMs, this.policy);
    this.lastDelayMs = delayMs;
    this.count += 1;
    this.cancel();
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.cancel();
      restart();
    }, delayMs);
    return delayMs;
  }

  /** Calls off the waiting restart; the next delay still follows from the last one. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = this.dueAt = undefined;
  }
}
