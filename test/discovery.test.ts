// A server's tools are never silently missing from the spec: one still being discovered (started
// for the first time, nothing on record) is named in the document and in /servers, and its tools
// appear on a later fetch. Tools the proxy cannot call are left out with the reason.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const edge = edgeStdio();
const SLOW_START_SECONDS = 8;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    mcpServers: {
      // Takes longer to answer initialize than the worker waits for a tool list.
      slow: { ...edge, command: "sh", args: ["-c", `sleep ${SLOW_START_SECONDS}; exec "$0" "$@"`, edge.command, ...(edge.args as string[])] },
      everything: { command: "mcp-server-everything", args: ["stdio"], cwd: ROOT },
    },
  });
});
afterAll(() => stack?.stop());

const spec = async () => (await (await stack.get("/openapi.json")).json()) as any;
const servers = async () => ((await (await stack.get("/servers")).json()) as any).servers as any[];

describe("a server still being discovered", () => {
  it("is named in the document and in /servers, not silently left out, and its tools follow", async () => {
    const early = await spec();
    expect(Object.keys(early.paths).some((path) => path.startsWith("/slow/"))).toBe(false);
    expect(early["x-mcp-proxy-unlisted-servers"]).toEqual([{ server: "slow", status: "discovering", reason: expect.stringContaining("being discovered") }]);
    expect(early.info.description).toContain("**slow**: MCP server 'slow' is being discovered");
    expect((await servers()).find((s) => s.name === "slow")).toMatchObject({ status: "discovering", toolCount: null });

    await until(async () => Object.keys((await spec()).paths).includes("/slow/echo"), "slow's tools in the spec", 30_000);
    expect((await spec())["x-mcp-proxy-unlisted-servers"]).toBeUndefined();
    expect((await servers()).find((s) => s.name === "slow")).toMatchObject({ status: "ok", toolCount: expect.any(Number) });
  });
});

describe("a tool that needs task-augmented execution", () => {
  const TOOL = "simulate-research-query";

  it("is left out of the documents and listed with the reason in /servers", async () => {
    const row = (await servers()).find((s) => s.name === "everything");
    expect(row.unlistedTools).toEqual([{ name: TOOL, reason: expect.stringContaining("task-augmented execution") }]);
    for (const doc of [await spec(), await (await stack.get("/everything/openapi.json")).json()]) {
      expect(Object.keys(doc.paths)).toContain("/everything/echo");
      expect(Object.keys(doc.paths)).not.toContain(`/everything/${TOOL}`);
    }
    expect(row.toolCount).toBe(Object.keys((await spec()).paths).filter((path) => path.startsWith("/everything/")).length);
  });

  it("answers a call with 501 saying why, without calling the server", async () => {
    const response = await stack.post(`/everything/${TOOL}`, { topic: "x" });
    expect(response.status).toBe(501);
    expect((await response.json()).error).toMatchObject({ code: "unsupported_tool", message: expect.stringContaining("task-augmented execution") });
  });
});

describe("a first boot with many servers on a loaded machine", () => {
  const SERVERS = 30;
  const TOOLS = 5;
  let many: TestStack;
  let burn: AbortController;

  beforeAll(async () => {
    burn = new AbortController();
    const catalog = Object.fromEntries(
      Array.from({ length: SERVERS }, (_, i) => [
        `m${i}`,
        { command: process.execPath, args: [join(ROOT, "bench/servers/many-tools.mjs")], cwd: ROOT, env: { TOOL_COUNT: String(TOOLS) } },
      ]),
    );
    many = await startTestStack({ mcpServers: catalog });
    void loadTheMachine(many.url, burn.signal);
  });
  afterAll(async () => {
    burn?.abort();
    await many?.stop();
  });

  it("never serves a document that leaves a server out without naming it", async () => {
    for (let complete = false; !complete; ) {
      const doc = (await (await many.get("/openapi.json")).json()) as any;
      const listed = new Set(
        Object.keys(doc.paths)
          .filter((path) => /^\/m\d+\//.test(path))
          .map((path) => path.split("/")[1]),
      );
      const unlisted = new Set(((doc["x-mcp-proxy-unlisted-servers"] ?? []) as any[]).map((entry) => entry.server));
      for (let i = 0; i < SERVERS; i += 1) expect(listed.has(`m${i}`) || unlisted.has(`m${i}`), `m${i}`).toBe(true);
      for (const name of listed) expect(Object.keys(doc.paths).filter((path) => path.startsWith(`/${name}/`))).toHaveLength(TOOLS);
      complete = listed.size === SERVERS;
    }
  }, 120_000);
});

/** Keeps the machine busy with requests to the proxy itself while the servers are discovered. */
async function loadTheMachine(url: string, signal: AbortSignal): Promise<void> {
  const client = async () => {
    while (!signal.aborted)
      await fetch(`${url}/servers`).then(
        (r) => r.arrayBuffer(),
        () => {},
      );
  };
  await Promise.all([client(), client(), client(), client()]);
}
