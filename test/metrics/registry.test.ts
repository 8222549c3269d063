// The worker's metrics registry and observeCall, in Node: what /metrics writes out parses as
// Prometheus' text format, and the histogram and counters add up.
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../functions/calls/call-record.ts";
import { observeCall } from "../../functions/metrics/proxy-metrics.ts";
import { Counter, registerGauge, renderMetrics } from "../../functions/metrics/registry.ts";
import { checkHistogram, parsePromText, samplesOf, sampleValue } from "../helpers/prometheus-text.ts";

const HISTOGRAM = "mcp_server_operation_duration_seconds";
const record = (extra: Partial<CallRecord>): CallRecord => ({
  startedAt: new Date(),
  face: "openapi",
  caller: "operator",
  server: "edge",
  tool: "echo",
  status: 200,
  outcome: "ok",
  durationMs: 12,
  requestId: "r",
  ...extra,
});
const echo = { mcp_method_name: "tools/call", gen_ai_tool_name: "echo", mcp_server: "edge" };

describe("observeCall", () => {
  it("fills the duration histogram: cumulative buckets, +Inf equal to _count, _sum the durations", () => {
    for (const durationMs of [5, 15, 15, 700, 400_000]) observeCall(record({ durationMs }));
    const text = parsePromText(renderMetrics());
    expect(text.types.get(HISTOGRAM)).toBe("histogram");
    expect(checkHistogram(text, HISTOGRAM)).toBeGreaterThanOrEqual(1);
    const bucket = (le: string) => sampleValue(text, `${HISTOGRAM}_bucket`, { ...echo, le });
    expect([bucket("0.01"), bucket("0.02"), bucket("1"), bucket("300"), bucket("+Inf")]).toEqual([1, 3, 4, 4, 5]);
    expect(sampleValue(text, `${HISTOGRAM}_count`, echo)).toBe(5);
    expect(sampleValue(text, `${HISTOGRAM}_sum`, echo)).toBeCloseTo((5 + 15 + 15 + 700 + 400_000) / 1000, 9);
    expect(samplesOf(text, `${HISTOGRAM}_count`, echo)[0]!.labels).not.toHaveProperty("error_type");
  });

  it("counts calls by server, tool, status and outcome, and labels failures with their error type", () => {
    observeCall(record({ tool: "fail", status: 502, outcome: "tool_error" }));
    observeCall(record({ tool: "fail", status: 502, outcome: "tool_error" }));
    observeCall(record({ server: "(unknown)", tool: "x", status: 404, outcome: "error", errorCode: "unknown_server" }));
    const text = parsePromText(renderMetrics());
    expect(sampleValue(text, "mcp_proxy_tool_calls_total", { server: "edge", tool: "fail", status: "502", outcome: "tool_error" })).toBe(2);
    expect(sampleValue(text, `${HISTOGRAM}_count`, { gen_ai_tool_name: "fail", error_type: "tool_error" })).toBe(2);
    expect(sampleValue(text, `${HISTOGRAM}_count`, { mcp_server: "(unknown)", gen_ai_tool_name: "(unknown)", error_type: "unknown_server" })).toBe(1);
    expect(checkHistogram(text, HISTOGRAM)).toBe(3);
  });
});

describe("the text format", () => {
  it("escapes label values and help text so they parse back as they were", () => {
    const odd = 'a "quoted"\\back\nslash';
    new Counter("test_escaping_total", "Help with a \\ and a\nnewline.").inc({ tool: odd }, 3);
    const text = parsePromText(renderMetrics());
    expect(sampleValue(text, "test_escaping_total", { tool: odd })).toBe(3);
    expect(renderMetrics()).toContain("# HELP test_escaping_total Help with a \\\\ and a\\nnewline.");
  });

  it("reads a registered gauge at each scrape", () => {
    let dropped = 0;
    registerGauge("test_dropped", "Dropped records.", () => dropped);
    expect(sampleValue(parsePromText(renderMetrics()), "test_dropped")).toBe(0);
    dropped = 7;
    const text = parsePromText(renderMetrics());
    expect(text.types.get("test_dropped")).toBe("gauge");
    expect(sampleValue(text, "test_dropped")).toBe(7);
  });

  it("refuses a name registered twice (two TYPE lines would not parse)", () => {
    expect(() => registerGauge("test_dropped", "again", () => 0)).toThrow(/twice/);
  });

  it("is refused by the reader when broken, so the checks above can fail", () => {
    expect(() => parsePromText("x_total 1\n")).toThrow(/no TYPE/);
    expect(() => parsePromText('# TYPE x counter\nx{a="1} 1\n')).toThrow(/not a sample/);
    expect(() => parsePromText("# TYPE x counter\nx 1\nx 2\n")).toThrow(/twice/);
    const broken = parsePromText('# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n');
    expect(() => checkHistogram(broken, "h")).toThrow(/cumulative/);
  });
});

describe("label values", () => {
  it("never takes a name the caller made up: unknown servers and tools count as (unknown)", () => {
    observeCall(record({ server: "made-up-1", tool: "x1", status: 404, outcome: "error", errorCode: "unknown_server" }));
    observeCall(record({ server: "edge", tool: "made-up-2", status: 404, outcome: "error", errorCode: "unknown_tool" }));
    observeCall(record({ server: "edge", tool: "echo", status: 400, outcome: "error", errorCode: "invalid_arguments" }));
    const text = parsePromText(renderMetrics());
    const names = text.samples.flatMap((s) => [s.labels.server, s.labels.tool, s.labels.mcp_server, s.labels.gen_ai_tool_name]);
    expect(names).not.toContain("made-up-1");
    expect(names).not.toContain("x1");
    expect(names).not.toContain("made-up-2");
    expect(sampleValue(text, "mcp_proxy_tool_calls_total", { server: "edge", tool: "(unknown)", outcome: "error" })).toBe(1);
    expect(sampleValue(text, "mcp_proxy_tool_calls_total", { server: "edge", tool: "echo", status: "400" })).toBe(1);
  });
});
