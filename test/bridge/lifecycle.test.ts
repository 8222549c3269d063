// The lifecycle table of a stdio server, on its own: no process, no timer.
import { describe, expect, it } from "vitest";
import { Lifecycle, type LifecycleEvent, TRANSITIONS, transition } from "../../bridges/stdio/lifecycle.ts";
import { ProcessState } from "../../schema/bridge-status.ts";

const EVENTS: LifecycleEvent[] = ["start", "ready", "startFailed", "crash", "retry", "idleStop", "shutdown"];

describe("the lifecycle table", () => {
  it.each([
    ["idle", "start", "starting"],
    ["starting", "ready", "running"],
    ["starting", "startFailed", "backoff"],
    ["running", "crash", "backoff"],
    ["running", "idleStop", "idle"],
    ["backoff", "retry", "starting"],
    ["idle", "shutdown", "stopped"],
    ["starting", "shutdown", "stopped"],
    ["running", "shutdown", "stopped"],
    ["backoff", "shutdown", "stopped"],
  ] as const)("moves %s on %s to %s", (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  it("has exactly those ten transitions; every other event is ignored", () => {
    const all = ProcessState.options.flatMap((from) => EVENTS.filter((event) => transition(from, event)).map((event) => `${from} ${event}`));
    expect(all).toHaveLength(10);
  });

  it("has a row for every state of /status, and only those", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ProcessState.options].sort());
  });

  it("keeps a stopped server stopped, whatever comes", () => {
    for (const event of EVENTS) expect(transition("stopped", event)).toBeUndefined();
  });

  it("does not stop a server for being idle unless it runs (a start or a backoff finish first)", () => {
    for (const state of ["idle", "starting", "backoff"] as const) expect(transition(state, "idleStop")).toBeUndefined();
  });

  it("counts an exit as a crash only while running, and a retry only in backoff", () => {
    for (const state of ["idle", "starting", "backoff"] as const) expect(transition(state, "crash")).toBeUndefined();
    for (const state of ["idle", "starting", "running"] as const) expect(transition(state, "retry")).toBeUndefined();
  });

  it("lets a start finish only once, from starting", () => {
    for (const state of ["idle", "running", "backoff"] as const) {
      expect(transition(state, "ready")).toBeUndefined();
      expect(transition(state, "startFailed")).toBeUndefined();
    }
  });

  it("reaches every state from idle", () => {
    const reached = new Set<ProcessState>(["idle"]);
    for (let round = 0; round < 5; round++) {
      for (const from of [...reached]) for (const to of Object.values(TRANSITIONS[from])) reached.add(to);
    }
    expect([...reached].sort()).toEqual([...ProcessState.options].sort());
  });
});

describe("a Lifecycle", () => {
  it("starts idle, and moves only as the table says", () => {
    const lifecycle = new Lifecycle();
    expect(lifecycle.state).toBe("idle");
    expect(lifecycle.fire("ready")).toBe(false);
    expect(lifecycle.state).toBe("idle");
    expect(lifecycle.fire("start")).toBe(true);
    expect(lifecycle.state).toBe("starting");
  });

  it("dates each change, and only changes", async () => {
    const lifecycle = new Lifecycle();
    const created = lifecycle.since;
    await new Promise((done) => setTimeout(done, 5));
    lifecycle.fire("retry"); // ignored in idle
    expect(lifecycle.since).toBe(created);
    lifecycle.fire("start");
    const started = lifecycle.since;
    expect(started.getTime()).toBeGreaterThan(created.getTime());
    await new Promise((done) => setTimeout(done, 5));
    lifecycle.fire("startFailed");
    lifecycle.fire("retry");
    expect(lifecycle.state).toBe("starting");
    expect(lifecycle.since.getTime()).toBeGreaterThan(started.getTime());
  });

  it("tells waiters of the next change, not of an ignored event", async () => {
    const lifecycle = new Lifecycle();
    lifecycle.fire("start");
    lifecycle.fire("startFailed");
    let woke = false;
    const waiting = lifecycle.changed().then(() => (woke = true));
    lifecycle.fire("crash"); // ignored in backoff
    await Promise.resolve();
    expect(woke).toBe(false);
    lifecycle.fire("shutdown");
    await waiting;
    expect(lifecycle.state).toBe("stopped");
  });
});
