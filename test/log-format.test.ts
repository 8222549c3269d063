// LOG_FORMAT on the real stack: with text, a tool call's line is one readable line with every field,
// and a hostile tool name cannot forge another; `npm start` chooses text under a terminal and
// leaves JSON when its output is piped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npmStart } from "./helpers/npm-start.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const CATALOG = { mcpServers: { edge: edgeStdio() } };
const TEXT_CALL_LINE = (requestId: string) =>
  new RegExp(
    `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  tool_call  requestId=${requestId} face=openapi user=operator server=edge tool=echo status=200 outcome=ok durationMs=\\d+$`,
  );
/** What must never reach a terminal raw from a log line. */
const RAW_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The output's lines that mention `text` (a pseudo-terminal ends lines with \r\n). */
const linesWith = (output: string, text: string) => output.split(/\r?\n/).filter((line) => line.includes(text));

async function echo(base: string, requestId: string): Promise<void> {
  const response = await fetch(`${base}/edge/echo`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ message: "hi" }),
  });
  expect(response.status, await response.text()).toBe(200);
}

describe("the worker with LOG_FORMAT=text", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(CATALOG, { LOG_FORMAT: "text" });
    await stack.waitUntilHealthy();
  });
  afterAll(() => stack?.stop());

  it("writes a tool call as one text line with every field of the JSON one", async () => {
    await echo(stack.url, "log-format-text");
    await until(async () => linesWith(stack.output(), "log-format-text").length > 0, "the call's log line");
    expect(linesWith(stack.output(), "log-format-text")).toEqual([expect.stringMatching(TEXT_CALL_LINE("log-format-text"))]);
    expect(stack.output()).not.toContain('"event":"tool_call"');
  });

  it("escapes a hostile tool name: no second line, no terminal escape, no reversed or hidden text", async () => {
    const tool = "echo\n12:00:00.000 INFO  tool_call  requestId=forged\r\u001b[31mred\u001b[0m\u202Eevil\u2066\u200B";
    const response = await stack.post(`/edge/${encodeURIComponent(tool)}`, {}, { "x-request-id": "log-format-hostile" });
    expect(response.status).toBe(404);
    await until(async () => linesWith(stack.output(), "log-format-hostile").length > 0, "the hostile call's log line");
    const [line, ...more] = linesWith(stack.output(), "log-format-hostile");
    expect(more).toEqual([]);
    expect(line).toMatch(/ WARN {2}tool_call {2}requestId=log-format-hostile /);
    expect(line).toContain('tool="echo\\n12:00:00.000 INFO  tool_call  requestId=forged\\r\\u001b[31mred\\u001b[0m\\u202eevil\\u2066\\u200b"');
    expect(line).not.toMatch(RAW_UNSAFE);
    expect(stack.output()).not.toContain("requestId=forged\r");
    expect(
      stack
        .output()
        .split(/\r?\n/)
        .filter((l) => l.includes("requestId=forged")),
    ).toEqual([line]);
  });
});

describe("npm start's log format", () => {
  /** Starts npm start, calls echo, and gives back the call's log lines; npm start is stopped whatever happens. */
  async function callLines(requestId: string, options: Parameters<typeof npmStart>[1] = {}): Promise<string[]> {
    const start = await npmStart(CATALOG, options);
    try {
      await echo(start.base, requestId);
      await until(async () => linesWith(start.output(), requestId).length > 0, "the call's log line");
      return linesWith(start.output(), requestId);
    } finally {
      await start.stop();
    }
  }

  it("is text when its output is a terminal (under script's pseudo-terminal)", async () => {
    expect(await callLines("log-format-terminal", { terminal: true })).toEqual([expect.stringMatching(TEXT_CALL_LINE("log-format-terminal"))]);
  }, 150_000);

  it("is JSON when its output is piped", async () => {
    const [line, ...more] = await callLines("log-format-piped");
    expect(more).toEqual([]);
    expect(JSON.parse(line!)).toMatchObject({ level: "info", event: "tool_call", requestId: "log-format-piped", server: "edge", tool: "echo", status: 200 });
  }, 150_000);

  it("keeps JSON under a terminal when LOG_FORMAT=json says so", async () => {
    const [line] = await callLines("log-format-chosen", { terminal: true, env: { LOG_FORMAT: "json" } });
    expect(JSON.parse(line!)).toMatchObject({ event: "tool_call", requestId: "log-format-chosen" });
  }, 150_000);
});
