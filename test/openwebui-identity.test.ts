// Per-user identity from Open WebUI itself: its HS256-signed X-OpenWebUI-User-Jwt names the user in
// gateway mode (OPENWEBUI_JWT_SECRET); anything unsigned, expired, or signed otherwise gets 401.
// The API key alone lists the tools (Open WebUI fetches the spec without a user) but calls none.
import type { ChildProcess } from "node:child_process";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startEdgeServer, stopProcess } from "./helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const KEY = "openwebui-connection-key-0123456789";
const SECRET = "the-secret-open-webui-and-the-proxy-share-0123";
const key = new TextEncoder().encode(SECRET);
let stack: TestStack;
let remote: ChildProcess;

type Claims = Record<string, unknown>;
const now = () => Math.floor(Date.now() / 1000);
const claimsFor = (email: string): Claims => ({
  sub: `id-${email}`,
  email,
  name: email.split("@")[0],
  role: "user",
  iss: "open-webui",
  iat: now(),
  exp: now() + 300,
});

function sign(claims: Claims, secret: Uint8Array = key): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(secret);
}
async function as(email: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${KEY}`, "x-openwebui-user-jwt": await sign(claimsFor(email)), ...extra };
}
const names = async (response: Response) => ((await response.json()).servers as { name: string }[]).map((s) => s.name);

beforeAll(async () => {
  const port = await freePort();
  remote = await startEdgeServer("http", port);
  stack = await startTestStack(
    { mcpServers: { alpha: edgeStdio(), beta: edgeStdio(), remote: { type: "streamable-http", url: `http://127.0.0.1:${port}/mcp` } } },
    { API_GATEWAY_MODE: "true", OPENWEBUI_JWT_SECRET: SECRET, MCP_API_KEY: KEY, ADMIN_EMAIL: "admin@example.com", GRANTS_TTL_SECONDS: "1" },
  );
  const admin = await as("admin@example.com");
  expect(
    (
      await stack.post(
        "/admin/mappings",
        {
          add: [
            { group: "alpha-team", server: "alpha" },
            { group: "alpha-team", server: "remote" },
          ],
        },
        admin,
      )
    ).status,
  ).toBe(200);
  expect((await stack.post("/admin/memberships", { add: [{ email: "ana@example.com", group: "alpha-team" }] }, admin)).status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
  await stopProcess(remote);
});

describe("a valid Open WebUI token", () => {
  it("identifies the user, whose grants come from the database", async () => {
    await until(async () => (await stack.post("/alpha/echo", { message: "x" }, await as("ana@example.com"))).status === 200, "ana's grant");
    expect(await names(await stack.get("/servers", await as("ana@example.com")))).toEqual(["alpha", "remote"]);
    const forbidden = await stack.post("/beta/echo", { message: "x" }, await as("ana@example.com"));
    expect(forbidden.status).toBe(403);
    expect(await names(await stack.get("/servers", await as("bob@example.com")))).toEqual([]);
    expect(await names(await stack.get("/servers", await as("Admin@Example.com")))).toEqual(["alpha", "beta", "remote"]);
  });

  it("is never passed upstream, nor is the caller's key", async () => {
    const { headers } = await (await stack.post("/remote/request_headers", {}, await as("ana@example.com"))).json();
    const sent = Object.keys(headers).map((name) => name.toLowerCase());
    expect(sent).not.toContain("x-openwebui-user-jwt");
    expect(JSON.stringify(headers)).not.toContain(KEY);
  });
});

describe("the key without a user (Open WebUI fetching the spec)", () => {
  const keyOnly = { authorization: `Bearer ${KEY}` };

  it("lists every enabled server's tools", async () => {
    const spec = await (await stack.get("/openapi.json", keyOnly)).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/alpha/echo", "/beta/echo", "/remote/echo"]));
  });

  it("calls no tool and reads no permissions", async () => {
    const call = await stack.post("/alpha/echo", { message: "x" }, keyOnly);
    expect(call.status).toBe(401);
    expect((await call.json()).error.message).toContain("needs a user");
    expect((await stack.get("/admin/memberships", keyOnly)).status).toBe(403);
  });

  it("is still needed beside a token", async () => {
    const response = await stack.get("/servers", { "x-openwebui-user-jwt": await sign(claimsFor("ana@example.com")) });
    expect(response.status).toBe(401);
  });
});

describe("tokens that prove nothing", () => {
  const refused = async (token: string, reason: string) => {
    const response = await stack.post("/alpha/echo", { message: "x" }, { authorization: `Bearer ${KEY}`, "x-openwebui-user-jwt": token });
    expect(response.status).toBe(401);
    const { error } = await response.json();
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain(SECRET);
  };
  const unsigned = (claims: Claims) =>
    `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;

  it("another secret", async () => refused(await sign(claimsFor("admin@example.com"), new TextEncoder().encode("x".repeat(40))), "signature"));
  it("no signature (alg none)", async () => refused(unsigned(claimsFor("admin@example.com")), "HS256"));
  it("another algorithm (RS256)", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    await refused(await new SignJWT(claimsFor("admin@example.com")).setProtectedHeader({ alg: "RS256" }).sign(privateKey), "HS256");
  });
  it("expired", async () => refused(await sign({ ...claimsFor("admin@example.com"), iat: now() - 900, exp: now() - 600 }), "expired"));
  it("no expiry", async () => {
    const { exp: _exp, ...claims } = claimsFor("admin@example.com");
    await refused(await sign(claims), "'exp' is missing");
  });
  it("no email", async () => {
    const { email: _email, ...claims } = claimsFor("admin@example.com");
    await refused(await sign(claims), "'email' is missing");
  });
  it("another issuer", async () => refused(await sign({ ...claimsFor("admin@example.com"), iss: "someone-else" }), "'iss'"));
  it("garbage", async () => refused("not.a.jwt", "malformed"));

  it("unsigned X-OpenWebUI-User-* headers, even from the key holder", async () => {
    const response = await stack.get("/servers", {
      authorization: `Bearer ${KEY}`,
      "x-openwebui-user-email": "admin@example.com",
      "x-openwebui-user-role": "admin",
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toContain("X-OpenWebUI-User-Jwt");
  });

  it("a forged gateway header beside a valid token", async () => {
    const response = await stack.get("/servers", { ...(await as("ana@example.com")), "x-gateway-secret": "guess" });
    expect(response.status).toBe(401);
  });
});
