// X-Request-Id: a sane id from the caller is kept, anything else is replaced by a new one, and every
// answer carries it, refusals and errors included.
import { describe, expect, it } from "vitest";
import { request } from "./app.ts";

const KEY = "request-id-key-0123456789abcdef";
const auth = { authorization: `Bearer ${KEY}` };
const call = (headers: Record<string, string>, path = "/edge/echo") =>
  request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ message: "hi" }) }, { MCP_API_KEY: KEY });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("X-Request-Id", () => {
  it("echoes a sane id the caller sent, on a tool call", async () => {
    const response = await call({ ...auth, "x-request-id": "gw-1:abc.DEF_9-x" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("gw-1:abc.DEF_9-x");
  });

  it("generates one when none is sent, a new one each time", async () => {
    const [a, b] = await Promise.all([call(auth), call(auth)]);
    expect(a.headers.get("x-request-id")).toMatch(UUID);
    expect(b.headers.get("x-request-id")).toMatch(UUID);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });

  it("replaces an insane id: too long, or with characters that could break a log line", async () => {
    for (const bad of ["x".repeat(129), "a b", 'id"}', "é", "a/b", "<script>"]) {
      const response = await call({ ...auth, "x-request-id": bad });
      expect(response.headers.get("x-request-id"), bad).toMatch(UUID);
    }
    expect((await call({ ...auth, "x-request-id": "y".repeat(128) })).headers.get("x-request-id")).toBe("y".repeat(128));
  });

  it("is on refusals and errors too: 401, 404, 405 and a failed call", async () => {
    const answers = [
      await call({ "x-request-id": "r-401" }),
      await request("/nowhere", { headers: { ...auth, "x-request-id": "r-404" } }, { MCP_API_KEY: KEY }),
      await request("/servers", { method: "PUT", headers: { ...auth, "x-request-id": "r-405" } }, { MCP_API_KEY: KEY }),
      await call({ ...auth, "x-request-id": "r-unknown" }, "/no-such-server/echo"),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 404, 405, 404]);
    expect(answers.map((r) => r.headers.get("x-request-id"))).toEqual(["r-401", "r-404", "r-405", "r-unknown"]);
  });

  it("is on /health, which needs no key", async () => {
    const response = await request("/health", { headers: { "x-request-id": "h-1" } });
    expect(response.headers.get("x-request-id")).toBe("h-1");
  });
});
