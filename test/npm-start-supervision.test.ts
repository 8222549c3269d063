// `npm start` as a user runs it, with a stdio server (through the bridge) and a remote Streamable
// HTTP server in its catalog: a crashed bridge or workerd is started again while the rest keeps
// serving; Ctrl-C still stops everything, also while a restart is waiting; a bridge that refuses
// its configuration is not restarted in a loop.
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited, type NpmStart, npmStart as startNpm } from "./helpers/npm-start.ts";
import { freePort, startEdgeServer, stopProcess } from "./helpers/processes.ts";
import { edgeStdio } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

let edge: ChildProcess;
let edgePort: number;

beforeAll(async () => {
  edgePort = await freePort();
  edge = await startEdgeServer("http", edgePort);
}, 60_000);

afterAll(() => stopProcess(edge));

const npmStart = () => startNpm({ mcpServers: { local: edgeStdio(), remote: { type: "streamable-http", url: `http://127.0.0.1:${edgePort}/mcp` } } });

const call = (start: NpmStart, tool: string, args: unknown = {}) =>
  fetch(`${start.base}/${tool}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(args) });

const echo = async (start: NpmStart, server: string, message: string) => {
  const response = await call(start, `${server}/echo`, { message });
  return { status: response.status, text: await response.text() };
};

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  command: string;
}

/** The live processes of npm start's process group (it runs detached: its own group). */
function processesOf(start: NpmStart): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // After "(comm)": state, ppid, pgrp, ...
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) !== start.child.pid || state === "Z") continue;
      found.push({ pid: Number(entry), ppid: Number(ppid), state: state!, command: readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ") });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const bridgeOf = (start: NpmStart) => processesOf(start).find((p) => p.command.includes(".build/bridge/main.mjs"));
const workerdOf = (start: NpmStart) => processesOf(start).find((p) => / serve .*workerd-\d+\.capnp/.test(p.command));
/**
 * Listens on `port` as soon as the killed bridge's sockets let go of it: connections the worker
 * kept open to it linger until the worker sees them closed (EADDRINUSE meanwhile).
 */
async function listenOnceFree(server: Server, port: number): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await new Promise<void>((done, fail) => {
        server.once("error", fail);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", fail);
          done();
        });
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 100) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/** Exited: no longer in /proc, or a zombie its (stopped) parent has not reaped yet. */
function isGone(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

describe("npm start when the bridge crashes", () => {
  let start: NpmStart;
  beforeAll(async () => {
    start = await npmStart();
  }, 120_000);
  afterAll(() => start?.stop());

  it("keeps the port open, serves remote servers, answers 503 for stdio servers, then restarts the bridge", async () => {
    expect(await echo(start, "local", "before")).toEqual({ status: 200, text: "before" });
    expect(await echo(start, "remote", "before")).toEqual({ status: 200, text: "before" });
    const bridge = bridgeOf(start)!;
    const workerd = workerdOf(start)!;
    expect(bridge, JSON.stringify(processesOf(start))).toBeDefined();
    expect(workerd).toBeDefined();

    // Hold the supervisor still (the bridge's parent) so the bridge stays down while we look.
    const supervisor = bridge.ppid;
    process.kill(supervisor, "SIGSTOP");
    try {
      process.kill(bridge.pid, "SIGKILL");
      await until(async () => isGone(bridge.pid), "the bridge to die");

      expect(await echo(start, "remote", "bridge down")).toEqual({ status: 200, text: "bridge down" });
      const stdio = await echo(start, "local", "bridge down");
      expect(stdio.status, stdio.text).toBe(503);
      const error = JSON.parse(stdio.text).error;
      expect(error.code).toBe("bridge_unavailable");
      expect(error.message).toContain("'local'");
      expect(error.message).toMatch(/\bbridge\b.*\b(down|restarting)\b/);
      const health = await fetch(`${start.base}/health`);
      expect(["degraded", "down"]).toContain(((await health.json()) as { status: string }).status);
    } finally {
      process.kill(supervisor, "SIGCONT");
    }

    await until(
      async () => /the bridge exited \(signal SIGKILL\).*restarting it in 1 s/.test(start.output()),
      `the restart to be logged: ${start.output().slice(-600)}`,
    );
    await until(async () => (await echo(start, "local", "after")).status === 200, "the stdio server to answer again", 30_000);
    expect(await echo(start, "local", "after")).toEqual({ status: 200, text: "after" });
    expect(await echo(start, "remote", "after")).toEqual({ status: 200, text: "after" });
    expect(bridgeOf(start)!.pid).not.toBe(bridge.pid);
    expect(workerdOf(start)!.pid, "workerd was not restarted: it keeps the same BRIDGE_TOKEN and port").toBe(workerd.pid);
  });

  it("restarts workerd when it crashes", async () => {
    const workerd = workerdOf(start)!;
    process.kill(workerd.pid, "SIGKILL");
    await until(async () => (workerdOf(start)?.pid ?? workerd.pid) !== workerd.pid, "a new workerd", 30_000);
    await until(
      async () =>
        (await fetch(`${start.base}/health`).then(
          (r) => r.status,
          () => 0,
        )) === 200,
      "the port to answer again",
      30_000,
    );
    expect(await echo(start, "local", "new worker")).toEqual({ status: 200, text: "new worker" });
    expect(start.output()).toMatch(/the worker exited \(signal SIGKILL\)/);
  });

  it("stops, naming the reason, when the restarted bridge refuses its configuration (exit code 2)", async () => {
    writeFileSync(start.catalogPath, "{ not json");
    const bridge = bridgeOf(start)!;
    process.kill(bridge.pid, "SIGKILL");
    await until(async () => exited(start.child), "npm start to stop", 30_000);
    expect(start.output()).toMatch(/the bridge refused its configuration \(exit code 2\): not restarting it/);
    expect(start.child.exitCode).not.toBe(0);
    expect(processesOf(start)).toEqual([]);
  });
});

describe("npm start stopped while a restart is waiting", () => {
  let start: NpmStart;
  let squatter: Server | undefined;
  beforeAll(async () => {
    start = await npmStart();
  }, 120_000);
  afterAll(async () => {
    await start?.stop();
    squatter?.close();
  });

  it("stops on Ctrl-C, starting nothing more", async () => {
    // Keep the bridge's port taken: each restart fails (exit code 1), so the delay doubles.
    const bridge = bridgeOf(start)!;
    const supervisor = bridge.ppid;
    process.kill(supervisor, "SIGSTOP");
    try {
      process.kill(bridge.pid, "SIGKILL");
      await until(async () => isGone(bridge.pid), "the bridge to die");
      squatter = createServer((socket) => socket.destroy());
      await listenOnceFree(squatter, start.bridgePort);
    } finally {
      process.kill(supervisor, "SIGCONT");
    }
    // Three failed bridge starts (each opens its database first) take a while on a loaded machine.
    await until(async () => /restarting it in 4 s/.test(start.output()), `the backoff to reach 4 s: ${start.output().slice(-800)}`, 60_000);
    expect(start.output()).toMatch(/restarting it in 1 s[\s\S]*restarting it in 2 s[\s\S]*restarting it in 4 s/);

    // Ctrl-C: SIGINT to the whole foreground group, while the supervisor waits 4 s to restart.
    process.kill(-start.child.pid!, "SIGINT");
    await until(async () => exited(start.child), "npm start to stop while a restart waits", 10_000);
    expect(processesOf(start)).toEqual([]);
  }, 90_000);
});
