// Counts a server's calls and tells when it has had none in flight for a while: the cue to stop it.

export class IdleWatch {
  /** Calls begun so far; lets a caller see whether any came in meanwhile. */
  calls = 0;
  private inFlight = 0;
  private lastActive = Date.now();
  private timer?: NodeJS.Timeout;

  /** `idleMs` 0 never fires. */
  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {}

  get busy(): boolean {
    return this.inFlight > 0;
  }

  callStarted(): void {
    this.calls += 1;
    this.inFlight += 1;
  }

  callEnded(): void {
    this.inFlight -= 1;
    this.touch();
  }

  /** Starts the quiet period afresh (a call ended, or the process just started). */
  touch(): void {
    this.lastActive = Date.now();
    this.arm(this.idleMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    if (this.idleMs <= 0 || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const quietFor = Date.now() - this.lastActive;
        if (this.busy) return this.arm(this.idleMs);
        if (quietFor < this.idleMs) return this.arm(this.idleMs - quietFor);
        this.onIdle();
      },
      Math.max(delayMs, 10),
    );
    this.timer.unref();
  }
}
