// Each call's log line: one JSON line, its level by status, who called by their key only, and
// URLs in a failure's reason without credentials or query strings.
import { afterEach, expect, it, vi } from "vitest";
import { logCall } from "../../functions/calls/call-line.ts";
import type { CallRecord } from "../../functions/calls/call-record.ts";
import { ProxyError } from "../../functions/errors.ts";

afterEach(() => vi.restoreAllMocks());

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
