// The proxy behind the auth service, as Traefik puts them together: ForwardAuth's identity headers
// plus the client's own Authorization (a personal token) reach the proxy in gateway mode, and the
// chat path (Open WebUI's signed user token, no groups in it) finds the groups the sign-in synced.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthServiceProcess, startAuthService } from "../helpers/auth-service.ts";
import { type EntraStandIn, startEntraStandIn } from "../helpers/entra-standin.ts";
import { createTestDatabase, type TestDatabase, withClient } from "../helpers/postgres.ts";
import { freePort } from "../helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "../helpers/stack.ts";
import { until } from "../helpers/wait.ts";
import { Browser, signIn } from "./browser.ts";

const ALPHA = "5d0c9a8e-1111-4f00-8000-0000000000a1";
const BETA = "5d0c9a8e-2222-4f00-8000-0000000000b2";
const GATEWAY_SECRET = "gateway-secret-0123456789abcdef";
const API_KEY = "openwebui-connection-key-0123456789";
const OPENWEBUI_SECRET = "the-secret-open-webui-and-the-proxy-share-0123";
const FORWARDED = ["x-user-email", "x-user-name", "x-user-groups", "x-gateway-secret"];

let database: TestDatabase;
let stack: TestStack;
let entra: EntraStandIn;
let auth: AuthServiceProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startTestStack(
    { mcpServers: { alpha: edgeStdio(), beta: edgeStdio() } },
    {
      API_GATEWAY_MODE: "true",
      API_GATEWAY_SECRET: GATEWAY_SECRET,
      MCP_API_KEY: API_KEY,
      OPENWEBUI_JWT_SECRET: OPENWEBUI_SECRET,
      DATABASE_URL: database.url,
      GRANTS_TTL_SECONDS: "1",
    },
  );
  await until(
    () => withClient(database.url, async (client) => (await client.query("SELECT to_regclass('group_tenant_mapping') AS t")).rows[0].t !== null),
    "the bridge to migrate the database",
  );
  await withClient(database.url, (client) =>
    client.query("INSERT INTO group_tenant_mapping (group_name, tenant_id) VALUES ('alpha-users', 'alpha'), ('beta-users', 'beta')"),
  );
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  entra = await startEntraStandIn({
    clientId: "proxy-client",
    clientSecret: "proxy-client-secret-0123456789",
    redirectUris: [`${publicUrl}/callback`],
    postLogoutRedirectUris: [`${publicUrl}/signed-out`],
    users: [
      { username: "alice@example.com", name: "Alice", groups: [ALPHA] },
      { username: "bob@example.com", name: "Bob", groups: [BETA] },
    ],
  });
  auth = await startAuthService(
    {
      OIDC_ISSUER: entra.issuer,
      OIDC_CLIENT_ID: "proxy-client",
      OIDC_CLIENT_SECRET: "proxy-client-secret-0123456789",
      AUTH_PUBLIC_URL: publicUrl,
      COOKIE_DOMAIN: "example.test",
      SESSION_SECRET: "session-secret-0123456789abcdef-0123456789",
      ENTRA_GROUP_MAP: `${ALPHA}=alpha-users,${BETA}=beta-users`,
      API_GATEWAY_SECRET: GATEWAY_SECRET,
      BRIDGE_URL: stack.bridgeUrl,
      BRIDGE_TOKEN: stack.bridgeToken,
    },
    { port },
  );
});

afterAll(async () => {
  await auth?.stop();
  await entra?.stop();
  await stack?.stop();
  await database?.drop();
});

const serverNames = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()).servers as { name: string }[]).map((server) => server.name);
};

/** Traefik: ask /verify with the client's headers; on 200, forward the client's request with the identity headers added. */
async function throughTraefik(path: string, clientHeaders: Record<string, string>): Promise<Response> {
  const verdict = await fetch(`${auth.url}/verify`, {
    headers: { ...clientHeaders, "x-forwarded-method": "GET", "x-forwarded-uri": path },
    redirect: "manual",
  });
  if (verdict.status !== 200) return verdict;
  const identity = Object.fromEntries(FORWARDED.map((name) => [name, verdict.headers.get(name) ?? ""]));
  return fetch(`${stack.url}${path}`, { headers: { ...clientHeaders, ...identity } });
}

async function personalToken(username: string): Promise<string> {
  const browser = new Browser();
  expect((await signIn(browser, auth.url, username)).status).toBe(302);
  const page = await (await browser.get(`${auth.url}/token`)).text();
  return /<pre id="token">([^<]+)<\/pre>/.exec(page)![1]!;
}

function openWebUiHeaders(email: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: `id-${email}`, email, name: "someone", role: "user", iss: "open-webui", iat: now, exp: now + 300 })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(OPENWEBUI_SECRET))
    .then((jwt) => ({ authorization: `Bearer ${API_KEY}`, "x-openwebui-user-jwt": jwt }));
}

describe("the proxy behind the auth service", () => {
  it("serves an MCP/API client with a personal token (no MCP_API_KEY) the servers of its groups", async () => {
    const token = await personalToken("alice@example.com");
    expect(await serverNames(await throughTraefik("/servers", { authorization: `Bearer ${token}` }))).toEqual(["alpha"]);
    expect((await throughTraefik("/servers", { authorization: "Bearer not-a-token" })).status).toBe(401);
  });

  it("gives the chat path (Open WebUI's signed user token) the groups the last sign-in synced", async () => {
    await personalToken("bob@example.com");
    expect(await serverNames(await stack.get("/servers", await openWebUiHeaders("bob@example.com")))).toEqual(["beta"]);
    entra.users.get("bob@example.com")!.groups = [ALPHA];
    await personalToken("bob@example.com");
    await until(
      async () => JSON.stringify(await serverNames(await stack.get("/servers", await openWebUiHeaders("bob@example.com")))) === '["alpha"]',
      "the proxy to see bob's new groups",
    );
  });
});
