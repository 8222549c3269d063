// A tool call's body: JSON from curl without a content type, never a browser's form; arguments
// checked against the tool's inputSchema (400 naming the field) before the upstream is called;
// every failed call logged on one line.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";
import { rawRequest } from "./helpers/raw-http.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    mcpServers: { edge: edgeStdio(), filesystem: { command: "mcp-server-filesystem", args: [join(ROOT, "catalog/sample")] } },
  });
});
afterAll(() => stack?.stop());

const post = (path: string, body: string, headers: Record<string, string> = {}) => rawRequest(stack.url + path, { method: "POST", headers, body });
const calls = async () => (await (await stack.post("/edge/stats", {})).json()).calls as number;

describe("content types", () => {
  it("runs the requirements' acceptance command as written: curl -d, no content type", () => {
    const out = execFileSync("curl", ["-s", "-X", "POST", `${stack.url}/filesystem/list_directory`, "-d", '{"arguments":{"path":"."}}'], { encoding: "utf8" });
    expect(out).toContain("[FILE] README.md");
  });

  it("reads JSON sent with no content type or curl's form type from a client that is not a browser", async () => {
    expect((await post("/edge/echo", '{"message":"bare"}')).body).toBe("bare");
    expect((await post("/edge/echo", '{"message":"form"}', { "content-type": "application/x-www-form-urlencoded" })).body).toBe("form");
  });

  it("refuses a form that is not JSON, other types, and a browser's form or bare body with 415", async () => {
    const cases: [string, Record<string, string>][] = [
      ["message=hi", { "content-type": "application/x-www-form-urlencoded" }],
      ['{"message":"x"}', { "content-type": "text/plain" }],
      ['{"message":"x"}', { "content-type": "multipart/form-data; boundary=x" }],
      ['{"message":"x"}', { "content-type": "application/x-www-form-urlencoded", origin: stack.url }],
      ['{"message":"x"}', { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" }],
      ['{"message":"x"}', { "content-type": "application/x-www-form-urlencoded", "sec-fetch-dest": "empty" }],
      ['{"message":"x"}', { origin: stack.url }],
    ];
    for (const [body, headers] of cases) {
      const response = await post("/edge/echo", body, headers);
      expect(response.status, JSON.stringify(headers)).toBe(415);
      expect(JSON.parse(response.body).error.message).toContain("application/json");
    }
  });

  it("answers a bare body that is not JSON with 400", async () => {
    const response = await post("/edge/echo", "{oops");
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe("invalid_json");
  });
});

describe("hostile bodies", () => {
  const nested = (depth: number) => `{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

  it("refuses arguments nested 100,000 deep with 400 naming the limit, before the upstream is called", async () => {
    const before = await calls();
    const response = await post("/edge/json_text", nested(100_000), { "content-type": "application/json" });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toMatchObject({ code: "invalid_arguments", message: expect.stringContaining("more than 64 levels deep") });
    expect(await calls()).toBe(before + 1); // the stats call itself, nothing else
  });

  it("takes arguments nested exactly 64 deep", async () => {
    expect((await post("/edge/json_text", nested(64), { "content-type": "application/json" })).status).toBe(200);
    expect((await post("/edge/json_text", nested(65), { "content-type": "application/json" })).status).toBe(400);
  });

  it("refuses a body of only whitespace instead of reading it as {}, and takes no body at all as {}", async () => {
    for (const body of [" ", "\n\t ", "\u00a0"]) {
      const response = await post("/edge/json_text", body, { "content-type": "application/json" });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(response.body).error.message).toMatch(/only whitespace|not valid JSON/);
    }
    expect((await post("/edge/json_text", "")).status).toBe(200);
  });

  it("names the byte limit in the 413 for a body over MAX_BODY_BYTES", async () => {
    const response = await post("/edge/json_text", `{"a":"${"x".repeat(5 * 1024 * 1024)}"}`, { "content-type": "application/json" });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.message).toContain("4194304 bytes");
  });
});

describe("arguments checked against the tool's inputSchema", () => {
  it.each([
    ["a missing required field", "/edge/echo", {}, "'message' is required"],
    ["a wrong type", "/edge/add", { a: "2", b: 3 }, "'a' must be number, not string"],
    ["a field the schema forbids", "/edge/strict", { message: "m", extra: 1 }, "'extra' is not a field this tool takes"],
    ["a nested field", "/edge/complex", { customer: { name: "Ann", shipping: {} }, items: [] }, "'customer.shipping.city' is required"],
    ["an item of a list", "/edge/complex", { customer: { name: "Ann", shipping: { city: "Oslo" } }, items: [{ quantity: 0 }] }, "'items[0].sku' is required"],
    ["a pattern", "/edge/complex", { customer: { name: "Ann", shipping: { city: "Oslo", zip: "12" } }, items: [] }, "'customer.shipping.zip'"],
    ["wrapped in `arguments`", "/edge/echo", { arguments: { message: 5 } }, "'message' must be string, not number"],
  ])("refuses %s with 400 naming it, and never calls the server", async (_what, path, body, message) => {
    const before = await calls();
    const response = await stack.post(path, body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toMatchObject({ code: "invalid_arguments", server: "edge" });
    expect(error.message).toContain(message);
    expect(await calls()).toBe(before + 1);
  });

  it("lets valid arguments through, extra fields included where the schema allows them", async () => {
    expect(await (await stack.post("/edge/strict", { message: "ok" })).text()).toBe("strict ok");
    expect(await (await stack.post("/edge/echo", { message: "ok", extra: true })).text()).toBe("ok");
    expect((await (await stack.post("/edge/add", { a: 1, b: 2 })).json()).sum).toBe(3);
  });

  it("checks the reference servers' draft-07 schemas too", async () => {
    const response = await stack.post("/filesystem/read_text_file", { head: "ten" });
    expect(response.status).toBe(400);
    const { message } = (await response.json()).error;
    expect(message).toContain("'path' is required");
    expect(message).toContain("'head' must be number");
  });
});

describe("the log", () => {
  it("has one line per call: request id, caller, server, tool, status, outcome, duration, a failure's reason, and no credentials", async () => {
    const headers = { "content-type": "application/json", authorization: "Bearer secret-in-header", "x-user-email": "who@example.com" };
    await post("/edge/fail", "{}", { ...headers, "x-request-id": "log-fail-1" });
    await post("/edge/echo", JSON.stringify({ message: "hi" }), { ...headers, "x-request-id": "log-ok-1" });
    const lines = stack
      .output()
      .split("\n")
      .filter((line) => line.includes('"tool_call"'));
    const entries = lines.map((line) => JSON.parse(line.slice(line.indexOf("{"))));
    expect(entries.find((entry) => entry.requestId === "log-fail-1")).toEqual({
      level: "warn",
      event: "tool_call",
      requestId: "log-fail-1",
      face: "openapi",
      user: "operator",
      server: "edge",
      tool: "fail",
      status: 422,
      outcome: "tool_error",
      code: "tool_error",
      durationMs: expect.any(Number),
      reason: "something broke",
    });
    expect(entries.filter((entry) => entry.requestId === "log-ok-1")).toEqual([
      expect.objectContaining({ level: "info", tool: "echo", status: 200, outcome: "ok" }),
    ]);
    expect(lines.some((line) => line.includes("'message' is required"))).toBe(true);
    expect(stack.output()).not.toContain("secret-in-header");
    expect(stack.output()).not.toContain("who@example.com");
  });
});
