// The auth service as deployed: real workerd, an Entra ID stand-in (oidc-provider), the bridge and
// PostgreSQL, driven over HTTP like a browser (cookie jar, redirects by hand) and like Traefik's
// ForwardAuth (/verify with X-Forwarded-* headers).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthServiceProcess, startAuthService } from "../helpers/auth-service.ts";
import { type EntraStandIn, startEntraStandIn } from "../helpers/entra-standin.ts";
import { createTestDatabase, type TestDatabase, withClient } from "../helpers/postgres.ts";
import { type BridgeProcess, freePort, startBridge } from "../helpers/processes.ts";
import { Browser, locationOf, signIn } from "./browser.ts";

const ALPHA = "0b6c3b1e-1111-4a5b-9c0d-000000000001";
const BETA = "0b6c3b1e-2222-4a5b-9c0d-000000000002";
const UNMAPPED = "0b6c3b1e-3333-4a5b-9c0d-000000000003";
const CLIENT_ID = "mcp-proxy-test-client";
const CLIENT_SECRET = "client-secret-0123456789abcdef";
const SESSION_SECRET = "session-secret-0123456789abcdef-0123456789";
const GATEWAY_SECRET = "gateway-secret-0123456789abcdef";
const DOMAIN = "example.test";

let database: TestDatabase;
let bridge: BridgeProcess;
let entra: EntraStandIn;
let service: AuthServiceProcess;
let shortLived: AuthServiceProcess;
let bridgeless: AuthServiceProcess;
let settings: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), "mcp-auth-test-"));
  writeFileSync(join(dir, "catalog.json"), JSON.stringify({ mcpServers: {} }));
  bridge = await startBridge({ DATABASE_URL: database.url, MCP_DATA_DIR: dir, MCP_CATALOG: join(dir, "catalog.json") });
  const ports = [await freePort(), await freePort(), await freePort()];
  const publicUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  entra = await startEntraStandIn({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: publicUrls.map((url) => `${url}/callback`),
    postLogoutRedirectUris: publicUrls.map((url) => `${url}/signed-out`),
    users: [
      { username: "alice@example.com", name: "Alice Ådahl", groups: [ALPHA, UNMAPPED] },
      { username: "Bob.Odd@Example.com", name: 'Bøb "O\'Brien" <b>李 😀', groups: [BETA, ALPHA] },
      { username: "carol@example.com", name: "Carol", groups: [], overage: true },
      { username: "dora@example.com", name: "Dora", email: null, groups: [BETA] },
      { username: "erin@example.com", name: "Erin", groups: [ALPHA], tid: "9f0e0d0c-0000-4000-8000-00000000beef" },
      { username: "kelvin@example.com", name: "Kelvin", email: "\u212Aelvin@example.com", groups: [] },
    ],
  });
  settings = {
    OIDC_ISSUER: entra.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    AUTH_PUBLIC_URL: publicUrls[0]!,
    COOKIE_DOMAIN: DOMAIN,
    SESSION_SECRET,
    ENTRA_GROUP_MAP: `${ALPHA}=alpha-users, ${BETA.toUpperCase()}=beta-users`,
    API_GATEWAY_SECRET: GATEWAY_SECRET,
    BRIDGE_URL: bridge.url,
    BRIDGE_TOKEN: bridge.token,
  };
  [service, shortLived, bridgeless] = await Promise.all([
    startAuthService(settings, { port: ports[0] }),
    startAuthService({ ...settings, AUTH_PUBLIC_URL: publicUrls[1]!, SESSION_TTL_SECONDS: "1" }, { port: ports[1] }),
    startAuthService({ ...settings, AUTH_PUBLIC_URL: publicUrls[2]!, BRIDGE_URL: `http://127.0.0.1:${await freePort()}` }, { port: ports[2] }),
  ]);
});

afterAll(async () => {
  await Promise.all([service?.stop(), shortLived?.stop(), bridgeless?.stop()]);
  await entra?.stop();
  await bridge?.stop();
  await database?.drop();
});

/** What Traefik's ForwardAuth sends for a request to `url` from a client with these headers. */
function forwarded(url: string, headers: Record<string, string> = {}, method = "GET"): Record<string, string> {
  const { protocol, host, pathname, search } = new URL(url);
  return {
    "x-forwarded-method": method,
    "x-forwarded-proto": protocol.slice(0, -1),
    "x-forwarded-host": host,
    "x-forwarded-uri": pathname + search,
    ...headers,
  };
}

async function verify(auth: AuthServiceProcess, headers: Record<string, string>): Promise<Response> {
  return fetch(`${auth.url}/verify`, { headers, redirect: "manual" });
}

async function signedIn(username: string, auth = service, rd?: string): Promise<{ browser: Browser; callback: Response }> {
  const browser = new Browser();
  const callback = await signIn(browser, auth.url, username, rd);
  return { browser, callback };
}

describe("sign-in", () => {
  it("signs in through the issuer and answers ForwardAuth with the user's identity and mapped groups", async () => {
    const { browser, callback } = await signedIn("alice@example.com", service, `https://chat.${DOMAIN}/c/42?x=1`);
    expect(callback.status, await callback.clone().text()).toBe(302);
    expect(locationOf(callback)).toBe(`https://chat.${DOMAIN}/c/42?x=1`);
    const cookie = callback.headers.getSetCookie().find((line) => line.startsWith("__Secure-mcp_session="))!;
    expect(cookie).toMatch(/; Max-Age=28800/);
    expect(cookie).toMatch(new RegExp(`; Domain=${DOMAIN}`));
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const answer = await verify(service, forwarded(`https://mcp.${DOMAIN}/servers`, { cookie: browser.cookieHeader() }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-user-email")).toBe("alice@example.com");
    expect(decodeURIComponent(answer.headers.get("x-user-name")!)).toBe("Alice Ådahl");
    expect(answer.headers.get("x-user-groups")).toBe("alpha-users");
    expect(answer.headers.get("x-gateway-secret")).toBe(GATEWAY_SECRET);
  });
});
