// Large tool results from stdio servers: anything up to MAX_RESULT_BYTES arrives whole through the
// bridge and the worker; a larger one fails that call only, and the server keeps running for
// everyone else. What the bridge reports about a server never quotes what the server wrote.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_RESULT_BYTES } from "../bridges/config.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const MB = 1_000_000;
const folder = mkdtempSync(join(tmpdir(), "mcp-proxy-large-"));
let stack: TestStack;

beforeAll(async () => {
  writeFileSync(join(folder, "twelve.txt"), "0123456789abcdef".repeat((12 * MB) / 16));
  stack = await startTestStack({
    mcpServers: {
      files: { command: "mcp-server-filesystem", args: [folder] },
      edge: edgeStdio(),
      chatty: edgeStdio(),
    },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const bridgeStatus = async () =>
  (await (await fetch(`${stack.bridgeUrl}/status`, { headers: { authorization: `Bearer ${stack.bridgeToken}` } })).json()).servers as Record<string, any>;
const running = async (name: string) => {
  await until(async () => (await bridgeStatus())[name].state === "running", `${name} to run`);
  return (await bridgeStatus())[name] as { pid: number; restarts: number; lastError?: string };
};

describe("a result over the SDK's 10 MiB read limit", () => {
  it("arrives whole, and the server keeps running", async () => {
    expect((await stack.post("/files/list_allowed_directories", {})).status).toBe(200);
    const before = await running("files");
    const response = await stack.post("/files/read_text_file", { path: join(folder, "twelve.txt") });
    expect(response.status).toBe(200);
    const { content } = await response.json(); // the filesystem server's structuredContent
    expect(content.length).toBe(12 * MB);
    expect(content.startsWith("0123456789abcdef0123")).toBe(true);
    expect(await bridgeStatus()).toMatchObject({ files: { state: "running", pid: before.pid, restarts: 0 } });
  }, 60_000);

  it("of 20 MB arrives whole through the worker", async () => {
    const response = await stack.post("/edge/large_text", { bytes: 20 * MB, fill: "twenty" });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.length).toBe(20 * MB);
    expect(text.slice(0, 12)).toBe("twentytwenty");
  }, 60_000);
});

describe("a result over MAX_RESULT_BYTES", () => {
  it("fails that call only, with 502 result_too_large naming its size and the limit", async () => {
    await stack.post("/edge/stats", {});
    const before = await running("edge");
    const inFlight = stack.post("/edge/barrier", { key: "around-the-big-one", count: 2 });

    const response = await stack.post("/edge/large_text", { bytes: DEFAULT_MAX_RESULT_BYTES + 1024, fill: "LEAKED-RESULT-" });
    expect(response.status).toBe(502);
    const { error } = await response.json();
    expect(error).toMatchObject({ code: "result_too_large", server: "edge" });
    expect(error.message).toContain(`over the limit of ${DEFAULT_MAX_RESULT_BYTES} bytes (MAX_RESULT_BYTES)`);
    expect(error.message).toMatch(/with (\d+) bytes/);
    expect(Number(/with (\d+) bytes/.exec(error.message)![1])).toBeGreaterThan(DEFAULT_MAX_RESULT_BYTES + 1024);
    expect(error.message).not.toContain("LEAKED");

    // The call that was in flight meanwhile, and the next ones, never notice.
    expect((await stack.post("/edge/barrier", { key: "around-the-big-one", count: 2 })).status).toBe(200);
    expect((await inFlight).status).toBe(200);
    expect(await (await stack.post("/edge/echo", { message: "still here" })).text()).toBe("still here");
    const after = (await bridgeStatus()).edge;
    expect(after).toMatchObject({ state: "running", pid: before.pid, restarts: 0 });
    expect(after.lastError).toMatch(/^sent a message of \d+ bytes, over the \d+-byte limit/);
    expect(JSON.stringify(await bridgeStatus())).not.toContain("LEAKED");
    expect(await (await stack.get("/health")).text()).not.toContain("LEAKED");
  }, 60_000);
});

describe("what the bridge says about a server", () => {
  it("is a fixed description, never a line the server wrote, even after a crash", async () => {
    expect((await stack.post("/chatty/stdout_garbage", { line: "SECRET42 of another caller" })).status).toBe(200);
    const hung = stack.post("/chatty/hang", {});
    await until(async () => (await bridgeStatus()).chatty.state === "running", "chatty to run");
    const crash = await stack.post("/chatty/crash", {});
    expect(crash.status).toBe(502);
    const inFlight = await hung;
    expect(inFlight.status).toBe(502);
    const messages = [(await crash.json()).error.message, (await inFlight.json()).error.message];
    for (const message of messages) {
      expect(message).toContain("'chatty'");
      expect(message).toContain("the process exited (code 3)");
      expect(message).not.toContain("SECRET42");
    }
    const status = (await bridgeStatus()).chatty;
    expect(status.lastError).toBe("the process exited (code 3)");
    expect(await (await stack.get("/health")).text()).not.toContain("SECRET42");
  }, 60_000);
});
