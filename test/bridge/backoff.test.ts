// The one restart-delay rule, with the policies of its two users: `npm start` restarting the bridge
// or the worker, and the bridge restarting a stdio server.
import { describe, expect, it } from "vitest";
import { nextDelay, Restarts, type RestartPolicy } from "../../bridges/backoff.ts";
import { RESTART_POLICY } from "../../scripts/supervisor.ts";

/** The delays of `crashes` crashes in a row, each after `upForMs` up. */
function delays(crashes: number, upForMs: number, policy: RestartPolicy): number[] {
  const out: number[] = [];
  let last: number | undefined;
  for (let crash = 0; crash < crashes; crash++) {
    last = nextDelay(last, upForMs, policy);
    out.push(last);
  }
  return out;
}

describe("the restart delay of npm start", () => {
  it("starts at 1 s, doubles up to 30 s, and starts again from 1 s after a minute up", () => {
    expect(delays(7, 500, RESTART_POLICY)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(nextDelay(30_000, RESTART_POLICY.stableAfterMs, RESTART_POLICY)).toBe(1_000);
    expect(nextDelay(30_000, RESTART_POLICY.stableAfterMs - 1, RESTART_POLICY)).toBe(30_000);
  });
});

describe("the restart delay of a stdio server", () => {
  const policy: RestartPolicy = { firstDelayMs: 300, maxDelayMs: 2_000, stableAfterMs: 30_000 };

  it("doubles from BRIDGE_BACKOFF_MS up to its ceiling while the server keeps crashing", () => {
    expect(delays(5, 0, policy)).toEqual([300, 600, 1_200, 2_000, 2_000]);
  });

  it("starts again from the first delay after a crash of a server that had been up a while", () => {
    expect(nextDelay(2_000, 30_000, policy)).toBe(300);
  });
});

describe("Restarts", () => {
  const policy: RestartPolicy = { firstDelayMs: 20, maxDelayMs: 40, stableAfterMs: 1_000 };

  it("counts the restarts it plans, runs each after the next delay, and says when it is due", async () => {
    const restarts = new Restarts(policy);
    let ran = 0;
    const planned = Date.now();
    expect(restarts.plan(0, () => ran++)).toBe(20);
    expect(restarts.count).toBe(1);
    expect(restarts.dueAt).toBeGreaterThanOrEqual(planned + 20);
    await new Promise((done) => setTimeout(done, 60));
    expect(ran).toBe(1);
    expect(restarts.dueAt).toBeUndefined();
    expect(restarts.plan(0, () => ran++)).toBe(40);
    expect(restarts.plan(0, () => ran++)).toBe(40); // replaces the one waiting
    await new Promise((done) => setTimeout(done, 80));
    expect(ran).toBe(2);
    expect(restarts.count).toBe(3);
  });

  it("calls off the restart that waits", async () => {
    const restarts = new Restarts(policy);
    let ran = false;
    restarts.plan(0, () => (ran = true));
    restarts.cancel();
    expect(restarts.dueAt).toBeUndefined();
    await new Promise((done) => setTimeout(done, 50));
    expect(ran).toBe(false);
  });
});
