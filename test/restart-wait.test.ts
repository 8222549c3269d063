// A call that comes while a stdio server restarts after a crash waits for it and then runs, as long
// as the restart is due within the call's timeout (the server's timeoutMs); otherwise 503 at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(
    { mcpServers: { patient: edgeStdio({ timeoutMs: 20_000 }), hasty: edgeStdio({ timeoutMs: 1_000 }) } },
    { BRIDGE_BACKOFF_MS: "2000" },
  );
});
afterAll(async () => {
  await stack?.stop();
});

const bridgeStatus = async () =>
  (await (await fetch(`${stack.bridgeUrl}/status`, { headers: { authorization: `Bearer ${stack.bridgeToken}` } })).json()).servers as Record<string, any>;

/** Starts the server, kills it with SIGKILL, and returns once the bridge waits to restart it. */
async function killAndWaitForBackoff(name: string): Promise<number> {
  // On a busy machine a first start (or the discovery at bridge start) can outlast hasty's 1 s
  // timeout, which is a 503 of its own: ask until it has started.
  await until(async () => (await stack.post(`/${name}/stats`, {})).status === 200, `${name} to start`);
  await until(async () => (await bridgeStatus())[name].state === "running", `${name} to run`);
  const { pid } = (await bridgeStatus())[name];
  process.kill(pid, "SIGKILL");
  await until(async () => (await bridgeStatus())[name].state === "backoff", `${name} to be in backoff`);
  return pid;
}

describe("a call during a restart", () => {
  it("waits for the server to come back and then runs", async () => {
    const killed = await killAndWaitForBackoff("patient");
    const response = await stack.post("/patient/echo", { message: "waited" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("waited");
    const status = (await bridgeStatus()).patient;
    expect(status).toMatchObject({ state: "running", restarts: 1, lastError: "the process was killed (SIGKILL)" });
    expect(status.pid).not.toBe(killed);
  });

  it("gets 503 at once, naming the server and why, when the restart is due after its timeout", async () => {
    await killAndWaitForBackoff("hasty");
    const response = await stack.post("/hasty/echo", { message: "too soon" });
    expect(response.status).toBe(503);
    const { error } = await response.json();
    expect(error.message).toContain("MCP server 'hasty' is restarting and will not be back within 1000 ms");
    expect(error.message).toContain("the process was killed (SIGKILL)");
    await until(async () => (await bridgeStatus()).hasty.state === "running", "hasty to be restarted");
    expect(await (await stack.post("/hasty/echo", { message: "back" })).text()).toBe("back");
  });
});
