// GET /metrics on a real stack (bridge + workerd + the edge server over stdio): only for the API
// key's holder, in Prometheus' text format, moved by real calls, with the bridge's stdio counters
// appended, and still answering (bridge_up 0) when the bridge is down.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHistogram, type PromText, parsePromText, sampleValue } from "./helpers/prometheus-text.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const KEY = "metrics-test-key";
const auth = { authorization: `Bearer ${KEY}` };
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ mcpServers: { edge: edgeStdio() } }, { MCP_API_KEY: KEY, BRIDGE_BACKOFF_MS: "200" });
});
afterAll(async () => {
  await stack?.stop();
});

async function scrape(): Promise<PromText> {
  const response = await stack.get("/metrics", auth);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePromText(await response.text());
}

describe("who may read /metrics", () => {
  it("refuses a request without the key, or with a wrong one, with 401", async () => {
    expect((await stack.get("/metrics")).status).toBe(401);
    const wrong = await stack.get("/metrics", { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("mcp_proxy");
  });

  it("is not in /openapi.json: it is no tool", async () => {
    const doc = await (await stack.get("/openapi.json", auth)).json();
    expect(Object.keys(doc.paths)).not.toContain("/metrics");
    expect(Object.keys(doc.paths)).toContain("/edge/echo");
  });
});

describe("what calls do to the metrics", () => {
  it("counts tool calls by outcome and times them in the histogram", async () => {
    const ok = { server: "edge", tool: "echo", status: "200", outcome: "ok" };
    const before = await scrape();
    expect((await stack.post("/edge/echo", { message: "hi" }, auth)).status).toBe(200);
    expect((await stack.post("/edge/echo", { message: "again" }, auth)).status).toBe(200);
    const failed = await stack.post("/edge/fail", {}, auth);
    const after = await scrape();
    expect(sampleValue(after, "mcp_proxy_tool_calls_total", ok) - sampleValue(before, "mcp_proxy_tool_calls_total", ok)).toBe(2);
    const toolError = { server: "edge", tool: "fail", status: String(failed.status), outcome: "tool_error" };
    expect(sampleValue(after, "mcp_proxy_tool_calls_total", toolError)).toBe(1);
    const echo = { mcp_method_name: "tools/call", gen_ai_tool_name: "echo", mcp_server: "edge" };
    expect(sampleValue(after, "mcp_server_operation_duration_seconds_count", echo)).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, "mcp_server_operation_duration_seconds_sum", echo)).toBeGreaterThan(0);
    expect(checkHistogram(after, "mcp_server_operation_duration_seconds")).toBeGreaterThanOrEqual(2);
  });

  it("counts calls through /mcp too, under the tool's own name", async () => {
    const ok = { server: "edge", tool: "echo", status: "200", outcome: "ok" };
    const before = sampleValue(await scrape(), "mcp_proxy_tool_calls_total", ok);
    const client = new Client({ name: "metrics-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp`), { requestInit: { headers: auth } }));
    await client.callTool({ name: "edge_echo", arguments: { message: "over mcp" } });
    await client.close();
    expect(sampleValue(await scrape(), "mcp_proxy_tool_calls_total", ok) - before).toBe(1);
  });

  it("counts the listing cache's lookups when the spec is read", async () => {
    const lookups = (text: PromText) =>
      ["hit", "stale", "miss"].reduce((n, result) => n + sampleValue(text, "mcp_proxy_listing_cache_lookups_total", { list: "tools", result }), 0);
    const before = lookups(await scrape());
    await stack.get("/openapi.json", auth);
    expect(lookups(await scrape())).toBeGreaterThan(before);
  });

  it("appends the bridge's stdio counters: starts after a call, a crash, then the restart", async () => {
    await stack.post("/edge/echo", { message: "up" }, auth);
    const before = await scrape();
    expect(sampleValue(before, "mcp_proxy_bridge_up")).toBe(1);
    expect(before.types.get("mcp_proxy_stdio_starts_total")).toBe("counter");
    expect(sampleValue(before, "mcp_proxy_stdio_starts_total", { server: "edge" })).toBeGreaterThanOrEqual(1);
    expect((await stack.post("/edge/crash", {}, auth)).status).toBe(502);
    let after = before;
    await until(async () => {
      after = await scrape();
      return (
        sampleValue(after, "mcp_proxy_stdio_restarts_total", { server: "edge" }) > sampleValue(before, "mcp_proxy_stdio_restarts_total", { server: "edge" })
      );
    }, "the bridge to count the restart");
    expect(
      sampleValue(after, "mcp_proxy_stdio_crashes_total", { server: "edge" }) - sampleValue(before, "mcp_proxy_stdio_crashes_total", { server: "edge" }),
    ).toBe(1);
    expect(sampleValue(after, "mcp_proxy_stdio_starts_total", { server: "edge" })).toBeGreaterThan(
      sampleValue(before, "mcp_proxy_stdio_starts_total", { server: "edge" }),
    );
  });
});

describe("the bridge down", () => {
  it("leaves the worker's own metrics answering, with mcp_proxy_bridge_up 0 and no stdio counters", async () => {
    const exited = new Promise((resolve) => stack.bridge.once("exit", resolve));
    stack.bridge.kill("SIGTERM");
    await exited;
    const text = await scrape();
    expect(sampleValue(text, "mcp_proxy_bridge_up")).toBe(0);
    expect(text.types.has("mcp_proxy_stdio_starts_total")).toBe(false);
    expect(text.types.get("mcp_server_operation_duration_seconds")).toBe("histogram");
    expect(sampleValue(text, "mcp_proxy_tool_calls_total", { server: "edge", tool: "echo", status: "200", outcome: "ok" })).toBeGreaterThanOrEqual(2);
  });
});
