// Browsers: a page on another site (or a DNS-rebinding name for 127.0.0.1) is refused before any
// tool runs. The origins in CORS_ALLOW_ORIGINS (CORS answers, preflights without a key) are tested
// in-process in test/worker-app/cross-site.test.ts.
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
