// CORS_ALLOW_ORIGINS with an API key: the allowed origins get CORS answers, preflights without the
// key; others get none. (test/cross-site.test.ts covers the open proxy through a whole stack.)
import { describe, expect, it } from "vitest";
import { request, type Settings } from "./app.ts";

const KEY = "cors-test-key-0123456789abcdef";
const ALLOWED = "http://chat.example.com:3000";
const settings: Settings = { MCP_API_KEY: KEY, CORS_ALLOW_ORIGINS: `${ALLOWED}/, https://ui.example.org` };
const echo = JSON.stringify({ message: "hi" });

const preflight = (origin: string) =>
  request(
    "/edge/echo",
    { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } },
    settings,
  );

describe("CORS_ALLOW_ORIGINS, with an API key", () => {
  it("answers an allowed origin's preflight without the key", async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(String(response.headers.get("access-control-allow-headers")).toLowerCase().split(",")).toEqual(
      expect.arrayContaining(["authorization", "content-type"]),
    );
    expect(String(response.headers.get("vary"))).toContain("Origin");
    expect((await preflight("https://ui.example.org")).headers.get("access-control-allow-origin")).toBe("https://ui.example.org");
  });

  it("refuses other origins' preflights with no CORS header", async () => {
    for (const origin of ["http://chat.example.com:3001", "https://chat.example.com:3000", "http://evil.example"]) {
      const response = await preflight(origin);
      expect(response.status, origin).toBe(403);
      expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("serves the spec and a tool call to an allowed origin with the key, and its 401 without it", async () => {
    const auth = { origin: ALLOWED, authorization: `Bearer ${KEY}` };
    const spec = await request("/openapi.json", { headers: auth }, settings);
    expect(spec.status).toBe(200);
    expect(spec.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const call = await request("/edge/echo", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: echo }, settings);
    expect(call.status).toBe(200);
    expect(await call.text()).toBe("hi");
    expect(call.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const unauthenticated = await request(
      "/edge/echo",
      { method: "POST", headers: { origin: ALLOWED, "content-type": "application/json" }, body: echo },
      settings,
    );
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });
});
