// The text form of a log line (LOG_FORMAT=text), run in workerd where the worker writes it: every
// field, readable, and no value can forge a second line or a terminal escape sequence.
import { expect, it } from "vitest";
import { logValue, textLine } from "../../schema/log-text.ts";

const AT = new Date("2026-12-06T12:00:01.234Z");
/** What must never reach a terminal raw. */
const RAW_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** The quoted value of `key` in a line, read back as JSON reads it (the escapes are JSON's). */
const quotedValue = (line: string, key: string) => JSON.parse(new RegExp(`${key}=("(?:[^"\\\\]|\\\\.)*")`).exec(line)![1]!);

it("writes the time (UTC), the level, the event, then every field in order as key=value", () => {
  const line = textLine(
    "info",
    {
      event: "tool_call",
      requestId: "ab12",
      face: "openapi",
      user: "ana@example.com",
      server: "everything",
      tool: "echo",
      status: 200,
      outcome: "ok",
      durationMs: 12,
    },
    AT,
  );
  expect(line).toBe(
    "12:00:01.234 INFO  tool_call  requestId=ab12 face=openapi user=ana@example.com server=everything tool=echo status=200 outcome=ok durationMs=12",
  );
});

it("pads the level to one width and leaves out undefined fields", () => {
  expect(textLine("error", { event: "broken", code: undefined }, AT)).toBe("12:00:01.234 ERROR broken");
  expect(textLine("warn", { event: "slow", service: "auth" }, AT)).toBe("12:00:01.234 WARN  slow  service=auth");
});

it("quotes a value with spaces, quotes or backslashes, so it reads back whole", () => {
  const reason = "MCP server 'x' said \"no\" \\ twice";
  const line = textLine("warn", { event: "tool_call", reason, status: 403 }, AT);
  expect(line).toContain(" status=403");
  expect(quotedValue(line, "reason")).toBe(reason);
  expect(logValue("two words")).toBe('"two words"');
  expect(logValue("café")).toBe('"café"');
});

it("escapes newlines, terminal escapes, bidi overrides and zero-width characters in a hostile tool name", () => {
  const tool = "echo\n12:00:01.234 INFO  tool_call  user=admin\r\u001b[31mred\u001b[0m\u202Eevil\u2066\u200B\u200D\uFEFF\u2028\u2029\u0085\u007f\uD800\t";
  const line = textLine("info", { event: "tool_call", user: "ana@example.com", server: "edge", tool, status: 404 }, AT);
  expect(line).not.toMatch(RAW_UNSAFE);
  expect(line.split("\n")).toHaveLength(1);
  expect(line).toContain("\\n12:00:01.234");
  expect(line).toContain("\\r\\u001b[31mred\\u001b[0m\\u202eevil\\u2066\\u200b\\u200d\\ufeff\\u2028\\u2029\\u0085\\u007f\\ud800\\t");
  expect(quotedValue(line, "tool")).toBe(tool);
  expect(line).toMatch(/ status=404$/);
});

it("escapes characters beyond the BMP too (a tag character)", () => {
  expect(logValue("a\u{E0001}b")).toBe('"a\\u{e0001}b"');
});

it("writes objects and arrays as JSON, with the same characters escaped", () => {
  const causes = [{ name: "Error", message: "bad\u202Ename\nhere" }];
  const value = logValue(causes);
  expect(value).not.toMatch(RAW_UNSAFE);
  expect(JSON.parse(value)).toEqual(causes);
  expect(logValue(true)).toBe("true");
  expect(logValue(null)).toBe("null");
});
