// Each call's log line: one JSON line (or, with LOG_FORMAT=text, one text line with the same fields), its level by status, who called by their key only, and
// URLs in a failure's reason without credentials or query strings.
import { afterEach, expect, it, vi } from "vitest";
import { logCall } from "../../functions/calls/call-line.ts";
import type { CallRecord } from "../../functions/calls/call-record.ts";
import { ProxyError } from "../../functions/errors.ts";
import { configureLog } from "../../functions/log.ts";

afterEach(() => {
  vi.restoreAllMocks();
  configureLog({ LOG_LEVEL: "info", LOG_FORMAT: "json" });
});

const record: CallRecord = {
  startedAt: new Date("2026-12-06T10:00:00Z"),
  face: "openapi",
  caller: "alice@example.com",
  server: "x",
  tool: "t",
  status: 200,
  outcome: "ok",
  durationMs: 13,
  requestId: "req-1",
};

it("writes an answered call at info, on standard output", () => {
  const out = vi.spyOn(console, "log").mockImplementation(() => {});
  logCall(record);
  expect(out).toHaveBeenCalledTimes(1);
  expect(JSON.parse(String(out.mock.calls[0]![0]))).toEqual({
    level: "info",
    event: "tool_call",
    requestId: "req-1",
    face: "openapi",
    user: "alice@example.com",
    server: "x",
    tool: "t",
    status: 200,
    outcome: "ok",
    durationMs: 13,
  });
});

it("writes a refusal at warn and a failure at error, with tokens in URLs cut off", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  logCall({ ...record, status: 403, outcome: "error", errorCode: "forbidden" }, new ProxyError(403, "forbidden", "no"));
  const error = new ProxyError(502, "upstream_unreachable", "MCP server 'x' is unreachable (https://user:pw@api.example.com/mcp?token=s3cret#frag): refused");
  logCall({ ...record, status: 502, outcome: "error", errorCode: "upstream_unreachable" }, error);
  expect(warn).toHaveBeenCalledTimes(2);
  const [refused, failed] = warn.mock.calls.map(([line]) => String(line));
  expect(JSON.parse(refused!)).toMatchObject({ level: "warn", status: 403, code: "forbidden", reason: "no" });
  expect(failed).not.toContain("\n");
  expect(JSON.parse(failed!)).toMatchObject({
    level: "error",
    event: "tool_call",
    status: 502,
    outcome: "error",
    code: "upstream_unreachable",
    reason: "MCP server 'x' is unreachable (https://…@api.example.com/mcp?…): refused",
  });
  expect(failed).not.toContain("s3cret");
  expect(failed).not.toContain("pw@");
});

it("with LOG_FORMAT=text, writes every field of the JSON line, redacted alike, on one line", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const failed = { ...record, status: 502, outcome: "error", errorCode: "upstream_unreachable" } as const;
  const error = new ProxyError(502, "upstream_unreachable", "unreachable (https://user:pw@api.example.com/mcp?token=s3cret)");
  logCall(failed, error);
  configureLog({ LOG_LEVEL: "info", LOG_FORMAT: "text" });
  logCall(failed, error);
  const [json, text] = warn.mock.calls.map(([line]) => String(line));
  const { level, event, ...fields } = JSON.parse(json!);
  expect(text).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${level.toUpperCase()} ${event}  `));
  for (const [key, value] of Object.entries(fields))
    expect(text).toContain(`${key}=${typeof value === "string" && / /.test(value) ? JSON.stringify(value) : value}`);
  expect(text).toContain("durationMs=13");
  expect(text).not.toMatch(/s3cret|pw@|\n/);
});
