// The failed-call log line: one JSON line, URLs without their query strings.
import { afterEach, expect, it, vi } from "vitest";
import { logCallFailure } from "../../functions/call-log.ts";
import { ProxyError } from "../../functions/errors.ts";

afterEach(() => vi.restoreAllMocks());

it("writes one JSON line naming the failure, with tokens in URLs cut off", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const error = new ProxyError(502, "upstream_unreachable", "MCP server 'x' is unreachable (https://api.example.com/mcp?token=s3cret#frag): refused");
  logCallFailure({ server: "x", tool: "t", durationMs: 12.6, error });
  expect(warn).toHaveBeenCalledTimes(1);
  const line = String(warn.mock.calls[0]![0]);
  expect(line).not.toContain("\n");
  expect(JSON.parse(line)).toEqual({
    level: "error",
    event: "tool_call_failed",
    server: "x",
    tool: "t",
    status: 502,
    code: "upstream_unreachable",
    durationMs: 13,
    reason: "MCP server 'x' is unreachable (https://api.example.com/mcp?…): refused",
  });
  expect(line).not.toContain("s3cret");
});
