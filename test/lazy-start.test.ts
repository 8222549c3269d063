// stdio servers start on their first call and stop when idle; what they answered (initialize,
// tools/list) is recorded under MCP_DATA_DIR, so the spec and /health never need them running.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const dataDir = mkdtempSync(join(tmpdir(), "mcp-proxy-lazy-"));
const catalog = (briefEnv: Record<string, string> = {}) => ({
  mcpServers: {
    lazy: edgeStdio(),
    brief: edgeStdio({ idleTimeoutSeconds: 1, env: briefEnv }),
  },
});
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(catalog(), { MCP_DATA_DIR: dataDir });
});
afterAll(async () => {
  await stack?.stop();
});

const starts = (output: string, name: string) => output.split("\n").filter((line) => line.includes(`starting MCP server '${name}'`)).length;
const bridgeStatus = async (s: TestStack) =>
  (await (await fetch(`${s.bridgeUrl}/status`, { headers: { authorization: `Bearer ${s.bridgeToken}` } })).json()).servers as Record<string, any>;
const record = (name: string) => JSON.parse(readFileSync(join(dataDir, "stdio-servers", `${name}.json`), "utf8"));
const toolNames = (doc: any, server: string) => Object.keys(doc.paths).filter((p) => p.startsWith(`/${server}/`));

describe("a server never seen before", () => {
  it("is started once in the background to record its answers, then stopped", async () => {
    await until(
      async () => Object.values(await bridgeStatus(stack)).every((s) => s.state === "idle" && s.pid === null) && starts(stack.output(), "brief") === 1,
      "both servers to be discovered and stopped",
    );
    expect(starts(stack.output(), "lazy")).toBe(1);
    const lazy = record("lazy");
    expect(lazy.identity.serverInfo).toMatchObject({ name: "edge", version: "1.0.0" });
    expect(lazy.tools.tools.map((t: any) => t.name)).toContain("echo");
    expect(statSync(join(dataDir, "stdio-servers", "lazy.json")).mode & 0o777).toBe(0o600);
  });
});

describe("a server that is not running", () => {
  it("is healthy as idle, and its tools are in the spec without starting it", async () => {
    const health = await (await stack.get("/health")).json();
    expect(health.status).toBe("ok");
    expect(health.servers.lazy).toMatchObject({ status: "idle", restarts: 0 });
    const doc = await (await stack.get("/openapi.json")).json();
    expect(toolNames(doc, "lazy")).toContain("/lazy/echo");
    expect(toolNames(doc, "brief")).toContain("/brief/stats");
    expect((await bridgeStatus(stack)).lazy).toMatchObject({ state: "idle", pid: null });
    expect(starts(stack.output(), "lazy")).toBe(1);
  });

  it("starts on its first call and stays up under the default idle timeout", async () => {
    const response = await stack.post("/lazy/echo", { message: "awake" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("awake");
    expect(starts(stack.output(), "lazy")).toBe(2);
    expect((await bridgeStatus(stack)).lazy).toMatchObject({ state: "running", pid: expect.any(Number) });
    expect((await (await stack.get("/health")).json()).servers.lazy).toMatchObject({ status: "ok", latencyMs: expect.any(Number) });
  });
});

describe("a server with idleTimeoutSeconds", () => {
  it("stops after that long without a call, and the next call starts it again in the same session", async () => {
    const url = `${stack.bridgeUrl}/servers/brief/mcp`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${stack.bridgeToken}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    };
    const rpc = (id: number, method: string, params: unknown) =>
      fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id, method, params }) });
    const init = await rpc(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } });
    headers["mcp-session-id"] = init.headers.get("mcp-session-id")!;
    const pidOf = async (id: number) => {
      const response = await rpc(id, "tools/call", { name: "stats", arguments: {} });
      expect(response.status).toBe(200);
      return (await response.json()).result.structuredContent.pid as number;
    };

    const first = await pidOf(2);
    expect((await bridgeStatus(stack)).brief.state).toBe("running");
    await until(async () => (await bridgeStatus(stack)).brief.state === "idle", "brief to be stopped when idle", 10_000);
    expect(stack.output()).toContain("MCP server 'brief' had no call for 1 s");
    const second = await pidOf(3);
    expect(second).not.toBe(first);
    expect((await bridgeStatus(stack)).brief.restarts).toBe(0);
  });

  it("is not stopped while a call is in flight, however long it takes", async () => {
    const pidBefore = (await (await stack.post("/brief/stats", {})).json()).pid;
    const waiting = stack.post("/brief/barrier", { key: "long", count: 2 }); // answers once a second call arrives
    await new Promise((done) => setTimeout(done, 2_500)); // well past the 1 s idle timeout
    expect((await bridgeStatus(stack)).brief.state).toBe("running");
    expect((await stack.post("/brief/barrier", { key: "long", count: 2 })).status).toBe(200);
    expect((await waiting).status).toBe(200);
    expect((await (await stack.post("/brief/stats", {})).json()).pid).toBe(pidBefore);
  });

  it("records a changed tool list when the server announces it", async () => {
    expect((await stack.post("/brief/add_tool", { name: "announced" })).status).toBe(200);
    await until(async () => record("brief").tools.tools.some((t: any) => t.name === "announced"), "the new tool to be recorded");
  });
});

describe("a restarted bridge", () => {
  it("knows the servers it has seen without starting them", async () => {
    await stack.stop();
    stack = await startTestStack(catalog(), { MCP_DATA_DIR: dataDir });
    await stack.waitUntilHealthy();
    const doc = await (await stack.get("/openapi.json")).json();
    expect(toolNames(doc, "lazy")).toContain("/lazy/echo");
    expect(toolNames(doc, "brief")).toContain("/brief/announced");
    expect(starts(stack.output(), "lazy") + starts(stack.output(), "brief")).toBe(0);
  });

  it("asks a server again when its command or environment changed", async () => {
    await stack.stop();
    stack = await startTestStack(catalog({ CHANGED: "yes" }), { MCP_DATA_DIR: dataDir });
    await until(async () => starts(stack.output(), "brief") === 1 && (await bridgeStatus(stack)).brief.state === "idle", "brief to be discovered again");
    expect(starts(stack.output(), "lazy")).toBe(0);
    expect(record("brief").tools.tools.map((t: any) => t.name)).not.toContain("announced");
  });
});
