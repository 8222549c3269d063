// Browsers: a page on another site (or a DNS-rebinding name for 127.0.0.1) is refused before any
// tool runs; the origins in CORS_ALLOW_ORIGINS get CORS answers, preflights without a key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./helpers/raw-http.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";

const catalog = { mcpServers: { edge: edgeStdio() } };
const echo = JSON.stringify({ message: "hi" });

async function callCount(stack: TestStack, headers: Record<string, string> = {}): Promise<number> {
  return (await (await stack.post("/edge/stats", {}, headers)).json()).calls;
}

describe("an open proxy bound to loopback (npm start's defaults: no key)", () => {
  let stack: TestStack;
  let port: string;
  beforeAll(async () => {
    stack = await startTestStack(catalog);
    port = new URL(stack.url).port;
  });
  afterAll(() => stack?.stop());

  it("refuses the DNS-rebinding request (a foreign Host) with 421 before the tool runs", async () => {
    const before = await callCount(stack);
    const response = await rawRequest(`${stack.url}/edge/echo`, {
      method: "POST",
      headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, "content-type": "application/json" },
      body: echo,
    });
    expect(response.status).toBe(421);
    expect(JSON.parse(response.body).error).toMatchObject({ code: "host_not_allowed", message: expect.stringContaining("ALLOWED_HOSTS") });
    expect(await callCount(stack)).toBe(before + 1); // only the second stats call itself
  });

  it("answers to its loopback names", async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawRequest(`${stack.url}/servers`, { headers: { host } })).status, host).toBe(200);
    }
  });

  it.each([
    ["another site", "https://evil.example"],
    ["the same name on another port", "http://127.0.0.1:1"],
    ["a sandboxed frame or a file", "null"],
    ["garbage", "not a url \u00ff\u00e9"],
  ])("refuses a request from %s with 403 and no CORS header, before the tool runs", async (_what, origin) => {
    const before = await callCount(stack);
    const response = await rawRequest(`${stack.url}/edge/echo`, { method: "POST", headers: { origin, "content-type": "application/json" }, body: echo });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe("origin_not_allowed");
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
    expect(await callCount(stack)).toBe(before + 1);
  });

  it("lets its own pages (/docs) call it", async () => {
    const response = await rawRequest(`${stack.url}/edge/echo`, {
      method: "POST",
      headers: { origin: stack.url, "content-type": "application/json" },
      body: echo,
    });
    expect(response.status).toBe(200);
    expect(response.body).toBe("hi");
  });
});

describe("CORS_ALLOW_ORIGINS, with an API key", () => {
  const KEY = "cors-test-key-0123456789abcdef";
  const ALLOWED = "http://chat.example.com:3000";
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(catalog, { MCP_API_KEY: KEY, CORS_ALLOW_ORIGINS: `${ALLOWED}/, https://ui.example.org` });
  });
  afterAll(() => stack?.stop());

  const preflight = (origin: string) =>
    rawRequest(`${stack.url}/edge/echo`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });

  it("answers an allowed origin's preflight without the key", async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(response.headers["access-control-allow-methods"]).toContain("POST");
    expect(String(response.headers["access-control-allow-headers"]).toLowerCase().split(",")).toEqual(
      expect.arrayContaining(["authorization", "content-type"]),
    );
    expect(String(response.headers.vary)).toContain("Origin");
    expect((await preflight("https://ui.example.org")).headers["access-control-allow-origin"]).toBe("https://ui.example.org");
  });

  it("refuses other origins' preflights with no CORS header", async () => {
    for (const origin of ["http://chat.example.com:3001", "https://chat.example.com:3000", "http://evil.example"]) {
      const response = await preflight(origin);
      expect(response.status, origin).toBe(403);
      expect(response.headers["access-control-allow-origin"], origin).toBeUndefined();
    }
  });

  it("serves the spec and a tool call to an allowed origin with the key, and its 401 without it", async () => {
    const auth = { origin: ALLOWED, authorization: `Bearer ${KEY}` };
    const spec = await rawRequest(`${stack.url}/openapi.json`, { headers: auth });
    expect(spec.status).toBe(200);
    expect(spec.headers["access-control-allow-origin"]).toBe(ALLOWED);
    const call = await rawRequest(`${stack.url}/edge/echo`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: echo });
    expect(call.status).toBe(200);
    expect(call.headers["access-control-allow-origin"]).toBe(ALLOWED);
    const unauthenticated = await rawRequest(`${stack.url}/edge/echo`, {
      method: "POST",
      headers: { origin: ALLOWED, "content-type": "application/json" },
      body: echo,
    });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers["access-control-allow-origin"]).toBe(ALLOWED);
  });
});
