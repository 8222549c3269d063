// With no PostgreSQL at all (the bridge's embedded PGlite): single-operator mode with an API key,
// and gateway mode whose permissions still apply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const KEY = "operator-key-0123456789abcdef";
const SECRET = "gateway-secret-0123456789abcdef";
const catalog = { mcpServers: { alpha: edgeStdio(), beta: edgeStdio() } };

describe("single-operator mode (API_GATEWAY_MODE=false) with MCP_API_KEY", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(catalog, { MCP_API_KEY: KEY });
    await stack.waitUntilHealthy();
  });
  afterAll(() => stack?.stop());

  it("gives the key holder every enabled server, whatever identity headers say", async () => {
    const headers = { authorization: `Bearer ${KEY}`, "x-user-email": "nobody@example.com", "x-user-groups": "none" };
    expect((await (await stack.get("/servers", headers)).json()).servers.map((s: any) => s.name)).toEqual(["alpha", "beta"]);
    expect(await (await stack.post("/beta/echo", { message: "ok" }, headers)).text()).toBe("ok");
    expect((await stack.get("/admin/memberships", headers)).status).toBe(200);
  });

  it("refuses everyone else", async () => {
    const response = await stack.post("/beta/echo", { message: "x" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="mcp-proxy"');
  });

  it("reports the embedded database in /health to the key's holder", async () => {
    const health = await (await stack.get("/health", { authorization: `Bearer ${KEY}` })).json();
    expect(health.database).toMatchObject({ status: "ok", latencyMs: expect.any(Number) });
  });
});

describe("gateway mode on the embedded database", () => {
  let stack: TestStack;
  const as = (email: string) => ({ "x-gateway-secret": SECRET, "x-user-email": email });
  beforeAll(async () => {
    stack = await startTestStack(catalog, { API_GATEWAY_MODE: "true", API_GATEWAY_SECRET: SECRET, ADMIN_EMAIL: "admin@example.com", GRANTS_TTL_SECONDS: "1" });
    await stack.waitUntilHealthy();
  });
  afterAll(() => stack?.stop());

  it("applies permissions: nothing for a new user until the admin grants it", async () => {
    const user = as("new.user@example.com");
    expect((await (await stack.get("/servers", user)).json()).servers).toEqual([]);
    expect((await stack.post("/alpha/echo", { message: "x" }, user)).status).toBe(403);

    const admin = as("admin@example.com");
    expect((await (await stack.get("/servers", admin)).json()).servers).toHaveLength(2);
    expect((await stack.post("/admin/mappings", { add: [{ group: "alpha-team", server: "alpha" }] }, admin)).status).toBe(200);
    expect((await stack.post("/admin/memberships", { add: [{ email: "new.user@example.com", group: "alpha-team" }] }, admin)).status).toBe(200);

    await until(async () => (await stack.post("/alpha/echo", { message: "x" }, user)).status === 200, "the grant");
    expect(await (await stack.post("/alpha/echo", { message: "granted" }, user)).text()).toBe("granted");
    expect((await stack.post("/beta/echo", { message: "x" }, user)).status).toBe(403);
  });
});
