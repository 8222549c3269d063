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
import { seal } from "../../functions/auth-service/session.ts";
import { Browser, callbackUrl, locationOf, signIn } from "./browser.ts";

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
      { username: "gail@example.com", name: "Gail", groups: [ALPHA] },
      { username: "zoë@例え.jp", name: "Zoë", groups: [ALPHA] },
    ],
  });
  settings = {
    OIDC_ISSUER: entra.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    AUTH_PUBLIC_URL: publicUrls[0]!,
    COOKIE_DOMAIN: DOMAIN,
    // Bob (beta) signs in to Open WebUI as an admin, alice as a user.
    ADMIN_GROUP: "beta-users",
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

const SESSION = "__Secure-mcp_session";

function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

async function identityHeaders(response: Response): Promise<Record<string, string | null>> {
  const headers: Record<string, string | null> = {};
  for (const name of ["x-user-email", "x-user-name", "x-user-groups", "x-user-role", "x-gateway-secret"]) headers[name] = response.headers.get(name);
  await response.body?.cancel();
  return headers;
}

const bytesAsText = (header: string | null) => Buffer.from(header ?? "", "latin1").toString("utf8");

describe("sign-in", () => {
  it("signs in through the issuer and answers ForwardAuth with the user's identity and only the mapped groups", async () => {
    const { browser, callback } = await signedIn("alice@example.com", service, `https://chat.${DOMAIN}/c/42?x=1`);
    expect(callback.status, await callback.clone().text()).toBe(302);
    expect(locationOf(callback)).toBe(`https://chat.${DOMAIN}/c/42?x=1`);
    const cookie = setCookie(callback, SESSION)!;
    for (const attribute of ["; Max-Age=28800", `; Domain=${DOMAIN}`, "; Path=/", "; HttpOnly", "; Secure", "; SameSite=Lax"])
      expect(cookie).toContain(attribute);
    const answer = await verify(service, forwarded(`https://mcp.${DOMAIN}/servers`, { cookie: browser.cookieHeader() }));
    expect(answer.status).toBe(200);
    expect(await identityHeaders(answer)).toEqual({
      "x-user-email": "alice@example.com",
      "x-user-name": encodeURIComponent("Alice Ådahl"),
      "x-user-groups": "alpha-users",
      "x-user-role": "user",
      "x-gateway-secret": GATEWAY_SECRET,
    });
  });

  it("forwards an odd unicode name percent-encoded, the email as its lower-case key, and several groups", async () => {
    const { browser } = await signedIn("Bob.Odd@Example.com");
    const headers = await identityHeaders(await verify(service, forwarded(`https://chat.${DOMAIN}/`, { cookie: browser.cookieHeader() })));
    expect(decodeURIComponent(headers["x-user-name"]!)).toBe(`Bøb "O'Brien" <b>李 😀`);
    expect(headers["x-user-name"]).toMatch(/^[\x21-\x7e]+$/);
    expect(headers["x-user-email"]).toBe("bob.odd@example.com");
    expect(headers["x-user-groups"]).toBe("alpha-users,beta-users");
    expect(headers["x-user-role"]).toBe("admin"); // beta-users is ADMIN_GROUP here
    const home = await browser.get(`${service.url}/`);
    const page = await home.text();
    expect(page).toContain("Bøb &quot;O&#39;Brien&quot; &lt;b&gt;李 😀");
    expect(page).not.toContain("<b>李");
    expect(home.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(home.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(home.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("forwards an email beyond ASCII as its UTF-8 bytes, as the proxy reads X-User-Email", async () => {
    const { browser } = await signedIn("zoë@例え.jp");
    const headers = await identityHeaders(await verify(service, { cookie: browser.cookieHeader() }));
    expect(bytesAsText(headers["x-user-email"])).toBe("zoë@例え.jp");
  });

  it("takes preferred_username when the token has no email claim", async () => {
    const { browser } = await signedIn("dora@example.com");
    const headers = await identityHeaders(await verify(service, { cookie: browser.cookieHeader() }));
    expect(headers["x-user-email"]).toBe("dora@example.com");
    expect(headers["x-user-groups"]).toBe("beta-users");
  });

  it("refuses an email that could stand for another address, with a page saying so", async () => {
    const { callback } = await signedIn("kelvin@example.com");
    expect(callback.status).toBe(403);
    expect(await callback.text()).toContain("no usable email address");
    expect(setCookie(callback, SESSION)).toBeUndefined();
  });

  it("refuses a token from another tenant", async () => {
    const { callback } = await signedIn("erin@example.com");
    expect(callback.status).toBe(400);
    expect(setCookie(callback, SESSION)).toBeUndefined();
  });

  it("refuses a user whose groups Entra left out (overage) with a 403 page naming the fix, and logs it", async () => {
    const { callback } = await signedIn("carol@example.com");
    expect(callback.status).toBe(403);
    const page = await callback.text();
    expect(page).toContain("too many groups (200 or more)");
    expect(page).toContain("Groups assigned to the application");
    expect(setCookie(callback, SESSION)).toBeUndefined();
    expect(service.output()).toContain("group overage");
  });

  it("returns only to the cookie domain and its subdomains (no open redirect), else to the chat", async () => {
    const fallback = `https://chat.${DOMAIN}/`;
    const cases: [string, string][] = [
      [`https://mcp.${DOMAIN}/docs`, `https://mcp.${DOMAIN}/docs`],
      [`https://${DOMAIN}/`, `https://${DOMAIN}/`],
      ["https://evil.example.com/", fallback],
      [`https://${DOMAIN}.evil.com/`, fallback],
      [`https://evil${DOMAIN}/`, fallback],
      [`//evil.com/`, fallback],
      [`https://user@chat.${DOMAIN}@evil.com/`, fallback],
      [`http://chat.${DOMAIN}/`, fallback],
      ["javascript:alert(1)", fallback],
    ];
    for (const [rd, expected] of cases) {
      const { callback } = await signedIn("alice@example.com", service, rd);
      expect(locationOf(callback), rd).toBe(expected);
    }
  });
});

describe("the sign-in flow's checks", () => {
  it("refuses a callback whose state is not the flow cookie's (400)", async () => {
    const browser = new Browser();
    const first = await browser.get(`${service.url}/login`);
    await browser.get(`${service.url}/login`); // a second sign-in replaces the flow cookie
    const callback = await browser.get(await callbackUrl(browser, first, service.url, "alice@example.com"));
    expect(callback.status).toBe(400);
    expect(setCookie(callback, SESSION)).toBeUndefined();
  });

  it("refuses a replayed callback (400), with or without the flow cookie it came with", async () => {
    const browser = new Browser();
    const login = await browser.get(`${service.url}/login`);
    const flowCookie = browser.cookieHeader();
    const url = await callbackUrl(browser, login, service.url, "alice@example.com");
    const flow = setCookie(login, "__Host-mcp_sign_in")!.split(";")[0]!;
    expect((await browser.get(url)).status).toBe(302);
    const again = await browser.get(url);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("expired or was already used");
    const replay = await fetch(url, { headers: { cookie: flow }, redirect: "manual" });
    expect(flowCookie).toContain("__Host-mcp_sign_in=");
    expect(replay.status).toBe(400);
    expect(setCookie(replay, SESSION)).toBeUndefined();
  });
});

describe("ForwardAuth without a valid session", () => {
  it("sends a browser's navigation to sign in, returning to the page it asked for", async () => {
    const page = `https://chat.${DOMAIN}/c/7?q=a%20b`;
    for (const method of ["GET", "HEAD"]) {
      const answer = await verify(service, forwarded(page, { accept: "text/html,application/xhtml+xml" }, method));
      expect(answer.status).toBe(302);
      expect(locationOf(answer)).toBe(`${service.url}/login?rd=${encodeURIComponent(page)}`);
    }
  });

  it("answers anything else 401 with a JSON error and a Bearer challenge", async () => {
    for (const headers of [
      forwarded(`https://mcp.${DOMAIN}/servers`, { accept: "application/json" }),
      forwarded(`https://chat.${DOMAIN}/`, { accept: "text/html" }, "POST"),
    ]) {
      const answer = await verify(service, headers);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toContain("Bearer");
      expect((await answer.json()).error).toBe("unauthenticated");
    }
  });

  it("treats a tampered cookie, one sealed with another SESSION_SECRET, and a personal token as none", async () => {
    const { browser } = await signedIn("alice@example.com");
    const value = browser.cookies.get(SESSION)!;
    const valid = await verify(service, { cookie: `${SESSION}=${value}` });
    expect(valid.status).toBe(200);
    const flipped = value.slice(0, 60) + (value[60] === "A" ? "B" : "A") + value.slice(61);
    const identity = { email: "alice@example.com", name: "Alice", groups: ["alpha-users"] };
    const foreign = await seal("another-session-secret-0123456789abcdef", "session", identity, 3600);
    const sameKey = await seal(SESSION_SECRET, "session", identity, 3600);
    const token = await seal(SESSION_SECRET, "api-token", identity, 3600);
    expect((await verify(service, { cookie: `${SESSION}=${sameKey}` })).status).toBe(200);
    for (const cookie of [flipped, foreign, token, "", "e30.e30.e30.e30.e30"]) {
      expect((await verify(service, { cookie: `${SESSION}=${cookie}` })).status, cookie).toBe(401);
    }
  });

  it("treats an expired session cookie as none (SESSION_TTL_SECONDS)", async () => {
    const { browser, callback } = await signedIn("alice@example.com", shortLived);
    expect(setCookie(callback, SESSION)).toContain("Max-Age=1");
    const cookie = `${SESSION}=${browser.cookies.get(SESSION)!}`;
    expect((await verify(shortLived, { cookie })).status).toBe(200);
    await new Promise((done) => setTimeout(done, 2_100));
    expect((await verify(shortLived, { cookie })).status).toBe(401);
  });
});

describe("personal API tokens", () => {
  it("are shown to a signed-in user, not cached, and work at /verify as a bearer token", async () => {
    const { browser } = await signedIn("alice@example.com");
    const page = await browser.get(`${service.url}/token`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const token = /<pre id="token">([^<]+)<\/pre>/.exec(await page.text())?.[1];
    expect(token).toBeTruthy();
    const answer = await verify(service, forwarded(`https://mcp.${DOMAIN}/mcp`, { authorization: `Bearer ${token}`, accept: "application/json" }, "POST"));
    expect(answer.status).toBe(200);
    expect((await identityHeaders(answer))["x-user-email"]).toBe("alice@example.com");
    // A token is not a session cookie, and a session cookie is not a token.
    expect((await verify(service, { cookie: `${SESSION}=${token}` })).status).toBe(401);
    expect((await verify(service, { authorization: `Bearer ${browser.cookies.get(SESSION)}` })).status).toBe(401);
  });

  it("send a browser that is not signed in to sign in first", async () => {
    const answer = await new Browser().get(`${service.url}/token`);
    expect(answer.status).toBe(302);
    expect(locationOf(answer)).toBe(`${service.url}/login?rd=${encodeURIComponent(`${service.url}/token`)}`);
  });

  it("leave a cookie in charge when Authorization holds someone else's token (Open WebUI's own)", async () => {
    const { browser } = await signedIn("alice@example.com");
    const answer = await verify(service, { cookie: browser.cookieHeader(), authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x" });
    expect(answer.status).toBe(200);
  });
});

describe("sign-out", () => {
  it("clears the session cookie for the whole domain and signs out at the issuer", async () => {
    const { browser } = await signedIn("alice@example.com");
    const logout = await browser.get(`${service.url}/logout`);
    expect(logout.status).toBe(302);
    const cleared = setCookie(logout, SESSION)!;
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toContain(`Domain=${DOMAIN}`);
    expect(cleared).toContain("Path=/");
    const issuerLogout = new URL(locationOf(logout));
    expect(issuerLogout.href.startsWith(entra.issuer)).toBe(true);
    expect(issuerLogout.searchParams.get("post_logout_redirect_uri")).toBe(`${service.url}/signed-out`);
    expect(issuerLogout.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(browser.cookies.has(SESSION)).toBe(false);
    expect((await verify(service, { cookie: browser.cookieHeader() })).status).toBe(401);
    const signedOut = await browser.get(`${service.url}/signed-out`);
    expect(await signedOut.text()).toContain("You are signed out");
  });
});

describe("group sync", () => {
  const rows = () =>
    withClient(database.url, async (client) =>
      (await client.query("SELECT group_name, source FROM user_group_membership WHERE user_email = 'gail@example.com' ORDER BY 1")).rows.map(
        (row) => `${row.group_name} ${row.source}`,
      ),
    );

  it("writes the mapped groups at each sign-in, replacing the last sign-in's, and leaves manual rows alone", async () => {
    await withClient(database.url, (client) =>
      client.query(
        "INSERT INTO user_group_membership (user_email, group_name, source) VALUES ('gail@example.com', 'beta-users', 'manual'), ('gail@example.com', 'gone-from-entra', 'entra')",
      ),
    );
    expect((await signedIn("gail@example.com")).callback.status).toBe(302);
    expect(await rows()).toEqual(["alpha-users entra", "beta-users manual"]);
    entra.users.get("gail@example.com")!.groups = [BETA, UNMAPPED];
    expect((await signedIn("gail@example.com")).callback.status).toBe(302);
    expect(await rows()).toEqual(["beta-users manual"]);
    entra.users.get("gail@example.com")!.groups = [];
    await withClient(database.url, (client) => client.query("DELETE FROM user_group_membership WHERE user_email = 'gail@example.com'"));
    entra.users.get("gail@example.com")!.groups = [ALPHA, BETA];
    expect((await signedIn("gail@example.com")).callback.status).toBe(302);
    expect(await rows()).toEqual(["alpha-users entra", "beta-users entra"]);
  });

  it("refuses the sign-in (503, a page to retry) when the groups cannot be written", async () => {
    const { callback } = await signedIn("alice@example.com", bridgeless);
    expect(callback.status).toBe(503);
    expect(await callback.text()).toContain("try again");
    expect(setCookie(callback, SESSION)).toBeUndefined();
  });
});

describe("the service itself", () => {
  it("is healthy without having reached the issuer, and shows a signed-out visitor a sign-in link", async () => {
    expect(await (await fetch(`${service.url}/health`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${service.url}/`)).text()).toContain('href="/login"');
  });

  it("answers every request 503 naming each bad setting, never a secret's value", async () => {
    const bad = await startAuthService({
      ...settings,
      OIDC_ISSUER: "http://login.example.com/tenant/v2.0",
      SESSION_SECRET: "short-secret",
      ENTRA_GROUP_MAP: "not-a-guid=alpha-users",
    });
    try {
      for (const path of ["/health", "/verify", "/login"]) {
        const answer = await fetch(`${bad.url}${path}`, { redirect: "manual" });
        expect(answer.status).toBe(503);
        const { error, message } = await answer.json();
        expect(error).toBe("misconfigured");
        for (const name of ["OIDC_ISSUER", "SESSION_SECRET", "ENTRA_GROUP_MAP"]) expect(message).toContain(name);
        expect(message).not.toContain("short-secret");
      }
    } finally {
      await bad.stop();
    }
  });

  it("writes no identity, token or secret to its log", async () => {
    const output = [service.output(), shortLived.output(), bridgeless.output()].join("\n");
    for (const secret of [SESSION_SECRET, CLIENT_SECRET, GATEWAY_SECRET, bridge.token, "alice@example.com", "bob.odd@example.com", "Alice"]) {
      expect(output).not.toContain(secret);
    }
  });
});
