// Each transition of a supervised stdio server, driven through StdioServerProcess with a real MCP
// server over stdio (test/servers/edge-server.ts): no bridge, no HTTP, no worker.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pLimit from "p-limit";
import { afterEach, describe, expect, it } from "vitest";
import { type ProcessOptions, StdioServerProcess } from "../../bridges/stdio/server-process.ts";
import { ServerRecord } from "../../bridges/stdio/server-store.ts";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { ROOT } from "../../scripts/stack.ts";
import { edgeServerCommand } from "../helpers/prebuilt.ts";
import { until } from "../helpers/wait.ts";

const EDGE: StdioServer = {
  name: "edge",
  title: "edge",
  description: "the edge test server",
  enabled: true,
  transport: "stdio",
  timeoutMs: 20_000,
  command: process.execPath,
  args: [...edgeServerCommand(), "stdio"],
  env: {},
};
/** Exits before answering initialize, every time. */
const BROKEN: StdioServer = { ...EDGE, name: "broken", args: ["-e", "process.exit(3)"] };

const made: StdioServerProcess[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((server) => server.stop()));
});

function supervise(options: Partial<ProcessOptions> = {}, server = EDGE): StdioServerProcess {
  const process = new StdioServerProcess(server, {
    cwd: ROOT,
    binDirs: [],
    startTimeoutMs: 20_000,
    backoffMs: 300,
    maxBackoffMs: 2_000,
    idleTimeoutMs: 0,
    maxResultBytes: 1_000_000,
    record: new ServerRecord(mkdtempSync(join(tmpdir(), "mcp-proxy-process-")), server),
    discovery: pLimit(1),
    ...options,
  });
  made.push(process);
  return process;
}

const call = (server: StdioServerProcess, name: string, timeoutMs = 20_000) => server.request("tools/call", { name, arguments: {} }, timeoutMs);
const pidOf = async (server: StdioServerProcess) => ((await call(server, "stats")).structuredContent as { pid: number }).pid;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const time = (iso: string | undefined) => new Date(iso!).getTime();
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("start", () => {
  it("goes idle → starting → running, dating each state, and shares one start among its callers", async () => {
    const server = supervise();
    const idle = server.status();
    expect(idle).toMatchObject({ state: "idle", pid: null, restarts: 0, known: false });
    await sleep(5);
    const first = server.start();
    const second = server.start();
    expect(server.status()).toMatchObject({ state: "starting", pid: expect.any(Number) });
    const startingSince = time(server.status().since);
    expect(startingSince).toBeGreaterThan(time(idle.since));
    expect(await first).toBe(await second);
    const running = server.status();
    expect(running).toMatchObject({ state: "running", restarts: 0 });
    expect(time(running.since)).toBeGreaterThanOrEqual(startingSince);
    expect(await pidOf(server)).toBe(running.pid);
  });

  it("on its first call, from idle", async () => {
    const server = supervise();
    expect(await pidOf(server)).toBe(server.status().pid);
    expect(server.state).toBe("running");
  });
});

describe("crash", () => {
  it("goes running → backoff → starting → running: counted, its sessions made stale, each state dated", async () => {
    const server = supervise({ backoffMs: 500 });
    const pid = await pidOf(server);
    const generation = server.generation;
    await expect(call(server, "crash")).rejects.toMatchObject({ status: 502, message: expect.stringContaining("exited while handling tools/call") });
    const backoff = server.status();
    expect(backoff).toMatchObject({ state: "backoff", pid: null, restarts: 1, lastError: "the process exited (code 3)" });
    expect(time(backoff.nextStartAt) - time(backoff.since)).toBeGreaterThanOrEqual(499);
    expect(server.generation).toBe(generation + 1);

    await until(async () => server.state === "running", "the restart");
    const running = server.status();
    expect(running.pid).not.toBe(pid);
    expect(running.restarts).toBe(1);
    expect(running.nextStartAt).toBeUndefined();
    // The state began when the restart did, not when the crash was seen.
    expect(time(running.since)).toBeGreaterThanOrEqual(time(backoff.nextStartAt) - 5);
  });

  it("of a start (it exits before answering initialize) goes starting → backoff, the delay doubling up to the ceiling", async () => {
    const server = supervise({ backoffMs: 400, maxBackoffMs: 1_000 }, BROKEN);
    await expect(server.start()).rejects.toMatchObject({
      status: 502,
      message: "MCP server 'broken' could not start: the process exited (code 3) before answering initialize",
    });
    const delays = new Map<number, number>();
    while (delays.size < 3) {
      const status = server.status();
      if (status.state === "backoff") delays.set(status.restarts, time(status.nextStartAt) - time(status.since));
      await sleep(10);
    }
    expect(server.status().lastError).toBe("could not start: the process exited (code 3) before answering initialize");
    const [first, second, third] = [delays.get(1)!, delays.get(2)!, delays.get(3)!];
    expect(first).toBeGreaterThanOrEqual(399);
    expect(first).toBeLessThan(450);
    expect(second).toBeGreaterThanOrEqual(799);
    expect(second).toBeLessThan(850);
    expect(third).toBeGreaterThanOrEqual(999);
    expect(third).toBeLessThan(1_050);
  });
});

describe("idle stop", () => {
  it("goes running → idle after the idle timeout, keeping its sessions, and the next call starts it again", async () => {
    const server = supervise({ idleTimeoutMs: 300 });
    const pid = await pidOf(server);
    const generation = server.generation;
    await until(async () => server.state === "idle", "the idle stop", 5_000);
    expect(server.status()).toMatchObject({ state: "idle", pid: null, restarts: 0 });
    expect(server.generation).toBe(generation);
    await until(async () => !isAlive(pid), "the idle process to exit", 10_000);
    expect(await pidOf(server)).not.toBe(pid);
  });

  it("is not applied to a server that is not running", async () => {
    const server = supervise();
    await server.stop("idle");
    expect(server.state).toBe("idle");
    const starting = server.start();
    await server.stop("idle");
    expect(server.state).toBe("starting");
    await starting;
    expect(server.state).toBe("running");
  });
});

describe("a call during an idle stop", () => {
  it("starts a new process at once, while the old one is still closing", async () => {
    const server = supervise();
    const pid = await pidOf(server);
    const stopping = server.stop("idle");
    expect(server.state).toBe("idle");
    const next = await pidOf(server);
    expect(next).not.toBe(pid);
    await stopping;
    expect(server.status()).toMatchObject({ state: "running", pid: next, restarts: 0 });
  });
});

describe("a call during a restart", () => {
  it("waits out the backoff when it ends within the call's timeout, then runs", async () => {
    const server = supervise({ backoffMs: 1_000 });
    const pid = await pidOf(server);
    process.kill(pid, "SIGKILL");
    await until(async () => server.state === "backoff", "the backoff");
    expect(server.status().lastError).toBe("the process was killed (SIGKILL)");
    const next = await pidOf(server);
    expect(next).not.toBe(pid);
    expect(server.status()).toMatchObject({ state: "running", restarts: 1 });
  });

  it("is refused at once with 503 when the backoff ends after the call's timeout", async () => {
    const server = supervise({ backoffMs: 5_000 });
    process.kill(await pidOf(server), "SIGKILL");
    await until(async () => server.state === "backoff", "the backoff");
    const asked = Date.now();
    await expect(call(server, "echo", 1_000)).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(
        /^MCP server 'edge' is restarting and will not be back within 1000 ms \(the process was killed \(SIGKILL\); it restarts at /,
      ),
    });
    expect(Date.now() - asked).toBeLessThan(500);
  });
});

describe("shutdown", () => {
  it("during a backoff: the waiting call gets 503, the restart is called off, and it stays stopped", async () => {
    const server = supervise({ backoffMs: 800 });
    process.kill(await pidOf(server), "SIGKILL");
    await until(async () => server.state === "backoff", "the backoff");
    const waiting = call(server, "echo");
    await server.stop();
    await expect(waiting).rejects.toMatchObject({ status: 503, message: expect.stringContaining("the bridge is shutting down") });
    await sleep(1_000);
    expect(server.status()).toMatchObject({ state: "stopped", pid: null });
    await expect(server.start()).rejects.toMatchObject({ status: 503 });
  });

  it("during a start: the start is refused and its process ended", async () => {
    const server = supervise();
    const starting = server.start();
    const { pid } = server.status();
    expect(pid).toEqual(expect.any(Number));
    await server.stop();
    await expect(starting).rejects.toMatchObject({ status: 503, message: expect.stringContaining("the bridge is shutting down") });
    expect(server.status()).toMatchObject({ state: "stopped", pid: null });
    await until(async () => !isAlive(pid!), "the process being started to exit", 10_000);
  });
});

describe("a server that is not running", () => {
  it("answers ping while idle without starting, and discovery records its tools then stops it", async () => {
    const server = supervise();
    expect(await server.request("ping", {}, 1_000)).toEqual({});
    await expect(server.ping(1_000)).rejects.toMatchObject({ status: 503 });
    expect(server.state).toBe("idle");
    await server.discover();
    expect(server.status()).toMatchObject({ state: "idle", pid: null, known: true });
    const listed = await server.request("tools/list", {}, 1_000);
    expect((listed.tools as { name: string }[]).map((tool) => tool.name)).toContain("echo");
    expect(server.state).toBe("idle");
  });
});
