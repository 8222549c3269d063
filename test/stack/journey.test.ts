// The team stack as its people use it, in a real headless Chromium: Traefik (TLS from a test CA,
// routers and middlewares from docker-compose.yml's labels) → the auth service (OpenID Connect
// against an Entra-shaped stand-in) → Open WebUI 0.12.4 (trusted-header sign-in, its settings from
// docker-compose.yml) → the proxy in gateway mode → the bundled MCP servers. Only the identity
// provider and the model are stand-ins. Three people sign in (Ada an admin); each lands in Open WebUI as
// themselves and can call only their groups' tools; logout works; a tampered or expired cookie
// goes back to sign-in; identity headers forged from outside get nothing. The admin portal on
// mcp.<domain>: an admin of the mapped Entra group uses it by clicking, a change reaches the group's
// member at once, a non-admin gets the 403 page, and changes posted from elsewhere are refused.
// Every step leaves a screenshot in .build/screenshots/journey/.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Cookie, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { launchChromium } from "../browser/chromium.ts";
import { type AuthServiceProcess, startAuthService } from "../helpers/auth-service.ts";
import { type EntraStandIn, startEntraStandIn } from "../helpers/entra-standin.ts";
import { createTestDatabase, type TestDatabase, withClient } from "../helpers/postgres.ts";
import { freePort } from "../helpers/processes.ts";
import { startTestStack, type TestStack } from "../helpers/stack.ts";
import { makeTestCertificate, type TestCertificate } from "../helpers/test-ca.ts";
import { composeVars, type RunningTraefik, startTraefik } from "../helpers/traefik.ts";
import { composeServices } from "../helpers/compose.ts";
import { MODEL_ID, startFakeModel, type FakeModel } from "../openwebui/fake-model.ts";
import { type Account, type ChatResult, OpenWebUIClient, startOpenWebUI, type OpenWebUI } from "../openwebui/open-webui.ts";
import { SESSION_COOKIE } from "../../functions/auth-service/cookies.ts";
import { seal } from "../../functions/auth-service/session.ts";

const DOMAIN = "team.test";
const SCREENSHOTS = join(ROOT, ".build/screenshots/journey");
const SECRETS = {
  MCP_API_KEY: "journey-proxy-key-0123456789abcdef",
  OPENWEBUI_JWT_SECRET: "journey-openwebui-jwt-secret-0123456789",
  API_GATEWAY_SECRET: "journey-gateway-secret-0123456789abcdef",
  SESSION_SECRET: "journey-session-secret-0123456789abcdef",
};
const CLIENT = { id: "mcp-proxy-team", secret: "journey-client-secret-0123456789" };
/** Entra sends group object ids; ENTRA_GROUP_MAP names the two the proxy's default groups know. */
const GROUP_IDS = {
  filesystem: "3f1b8d6e-2c4a-4f57-9a0e-6b2d1c9e8a71",
  memory: "a7c2e9f4-5b13-4d8e-b6a0-1f3c7d2e9b55",
  admins: "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
  unmapped: "0d9e8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b",
};
const PEOPLE = {
  ana: { username: "ana@example.com", name: "Ana Ångström", groups: [GROUP_IDS.filesystem, GROUP_IDS.unmapped] },
  bob: { username: "bob@example.com", name: "Bob Brown", groups: [GROUP_IDS.memory] },
  ada: { username: "ada@example.com", name: "Ada Admin", groups: [GROUP_IDS.admins] },
};
type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

let ca: TestCertificate;
let database: TestDatabase;
let stack: TestStack;
let traefik: RunningTraefik;
let entra: EntraStandIn;
let auth: AuthServiceProcess;
let model: FakeModel;
let webui: OpenWebUI;
let browser: Browser;
let step = 0;
let httpsPort: number;

/** https://<host>.<domain>:<port>, without a trailing slash. */
const site = (host: "chat" | "mcp" | "auth") => traefik.url(host, "");
const hostOf = (url: string) => new URL(url).hostname;

beforeAll(async () => {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  ca = makeTestCertificate(DOMAIN);
  database = await createTestDatabase();
  const catalog = JSON.parse(readFileSync(join(ROOT, "catalog/mcp-servers.json"), "utf8"));
  const [authPort, webuiPort] = [await freePort(), await freePort()];
  httpsPort = await freePort();
  stack = await startTestStack(catalog, {
    ...composeSettings("mcp-proxy", ["API_GATEWAY_MODE", "API_GATEWAY_SECRET", "OPENWEBUI_JWT_SECRET", "MCP_API_KEY", "ALLOWED_HOSTS", "CORS_ALLOW_ORIGINS"]),
    // Open WebUI reaches the proxy by its address here, not as mcp-proxy on the compose network.
    ALLOWED_HOSTS: `${composeSettings("mcp-proxy", ["ALLOWED_HOSTS"]).ALLOWED_HOSTS},127.0.0.1`,
    DATABASE_URL: database.url,
    MCP_SAMPLE_DIR: join(ROOT, "catalog/sample"),
  });
  traefik = await startTraefik({
    domain: DOMAIN,
    upstreams: { chat: `http://127.0.0.1:${webuiPort}`, mcp: stack.url, auth: `http://127.0.0.1:${authPort}` },
    cert: ca,
    ports: { websecure: httpsPort },
  });
  entra = await startEntraStandIn({
    users: Object.values(PEOPLE),
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    redirectUris: [`${site("auth")}/callback`],
    postLogoutRedirectUris: [`${site("auth")}/signed-out`],
  });
  auth = await startAuthService(
    {
      OIDC_ISSUER: entra.issuer,
      OIDC_CLIENT_ID: CLIENT.id,
      OIDC_CLIENT_SECRET: CLIENT.secret,
      AUTH_PUBLIC_URL: site("auth"),
      COOKIE_DOMAIN: DOMAIN,
      SESSION_SECRET: SECRETS.SESSION_SECRET,
      ENTRA_GROUP_MAP: `${GROUP_IDS.filesystem}=filesystem-users,${GROUP_IDS.memory}=memory-users,${GROUP_IDS.admins}=mcp-admins`,
      API_GATEWAY_SECRET: SECRETS.API_GATEWAY_SECRET,
      BRIDGE_URL: stack.bridgeUrl,
      BRIDGE_TOKEN: stack.bridgeToken,
    },
    { port: authPort },
  );
  model = await startFakeModel(await freePort());
  webui = await startOpenWebUI({ port: webuiPort, modelUrl: model.url, env: openWebUiSettings() });
  browser = await launchChromium([`--host-resolver-rules=MAP *.${DOMAIN} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${ca.spkiSha256}`]);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await webui?.stop();
  await Promise.all([model?.close(), auth?.stop(), entra?.stop(), traefik?.stop(), stack?.stop()]);
  await database?.drop();
});

/**
 * Open WebUI's settings exactly as docker-compose.yml gives them, with the compose network's
 * addresses replaced by this machine's and the public URLs given Traefik's test port. The model
 * server, its key and the data folder are the test's (startOpenWebUI sets those).
 */
function openWebUiSettings(): Record<string, string> {
  const env = composeSettings("open-webui");
  for (const name of ["OPENAI_API_BASE_URL", "OPENAI_API_KEY", "WEBUI_SECRET_KEY"]) delete env[name];
  // startOpenWebUI lets every user see the test's model; here the compose file must (Open WebUI's default is False).
  return { BYPASS_MODEL_ACCESS_CONTROL: "False", ...env };
}

/** A service's settings in docker-compose.yml (all, or the named ones), addresses made this machine's as openWebUiSettings says. */
function composeSettings(service: string, names?: string[]): Record<string, string> {
  const env = composeServices("docker-compose.yml", { ...composeVars(DOMAIN), ...SECRETS }, [service])[service]!.environment as Record<string, string>;
  const local = (value: string) =>
    String(value)
      .replaceAll("http://mcp-proxy:8000", stack?.url ?? "http://mcp-proxy:8000")
      .replace(new RegExp(`https://(chat|mcp|auth)\\.${DOMAIN.replace(".", "\\.")}`, "g"), (origin) => `${origin}:${httpsPort}`);
  return Object.fromEntries(
    Object.entries(env)
      .filter(([name]) => !names || names.includes(name))
      .map(([name, value]) => [name, local(value)]),
  );
}

async function shot(page: Page, name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: join(SCREENSHOTS, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
}

/** Open WebUI's API as the page's own script calls it: same origin, through Traefik, with the session cookie. */
class PageClient extends OpenWebUIClient {
  constructor(private readonly page: Page) {
    super(new URL(page.url()).origin);
  }

  protected override async send(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
    const answer = await this.page.evaluate(
      async ({ method, path, token, body }) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (token) headers.authorization = `Bearer ${token}`;
        const response = await fetch(path, { method, headers, body });
        return { status: response.status, text: await response.text() };
      },
      { method, path, token, body: body === undefined ? undefined : JSON.stringify(body) },
    );
    return new Response(answer.text || null, { status: answer.status });
  }
}

interface SignedIn {
  context: BrowserContext;
  page: Page;
  token: string;
  client: PageClient;
  /** Every page the sign-in went through, in order. */
  visited: string[];
}

/** From chat.<domain> to the stand-in's form and back: what a person does on their first visit. */
async function signIn(person: Person, label: string, context?: BrowserContext): Promise<SignedIn> {
  context ??= await browser.newContext();
  const page = await context.newPage();
  const visited: string[] = [];
  // Every document the browser asked for, redirects included.
  page.on("request", (request) => request.isNavigationRequest() && request.frame() === page.mainFrame() && visited.push(request.url()));
  await page.goto(`${site("chat")}/`);
  await page.waitForURL((url) => url.origin === new URL(entra.issuer).origin);
  await shot(page, `${label}-entra-sign-in`);
  await page.locator("input#username").fill(person.username);
  await page.locator("button#sign-in").click();
  await page.waitForURL((url) => url.hostname === hostOf(site("chat")) && !url.pathname.startsWith("/auth"), { timeout: 60_000 });
  const token = (await page
    .waitForFunction(() => localStorage.getItem("token"), undefined, { timeout: 60_000 })
    .then((handle) => handle.jsonValue())) as string;
  await page.locator("#chat-input").waitFor({ timeout: 60_000 });
  const client = new PageClient(page);
  // Open WebUI shows an admin (the first person to sign in) its release notes on the first visit.
  if ((await client.me(token)).role === "admin") await page.getByRole("button", { name: "Okay, Let's Go!" }).click();
  await page.locator('img[alt="Open User Profile Menu"]:visible').first().click();
  await page.getByRole("menuitem", { name: "Sign Out" }).waitFor();
  await shot(page, `${label}-in-open-webui`);
  await page.keyboard.press("Escape");
  return { context, page, token, client, visited };
}

/** One chat turn in which the model calls `tool`; turns run one at a time (one scripted model). */
async function chatTurn(who: SignedIn, tool: string, args: Record<string, unknown>, label: string): Promise<ChatResult> {
  model.queueToolCall({ name: tool, arguments: args });
  const result = await who.client.chat(who.token, { model: MODEL_ID, toolIds: ["server:0"], prompt: `Please use ${tool}` }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- Open WebUI's log:\n${webui.log()}`);
  });
  await who.page.goto(`${site("chat")}/c/${result.saved.id}`);
  await who.page.getByText("Tool result:").first().waitFor({ timeout: 30_000 });
  await shot(who.page, label);
  return result;
}

/** What Open WebUI says the signed-in user is. */
function whoAmI(who: SignedIn): Promise<Account> {
  return who.client.me(who.token);
}

/** A request from outside, as curl sends it: through Traefik's published port, verifying the test CA. */
function curl(url: string, headers: Record<string, string> = {}, body?: string): { status: number; location: string; body: string } {
  const { hostname, port } = new URL(url);
  const out = execFileSync(
    "curl",
    [
      "-sS",
      "--max-time",
      "20",
      "--cacert",
      ca.caCert,
      "--resolve",
      `${hostname}:${port}:127.0.0.1`,
      ...(body === undefined ? [] : ["-d", body]),
      ...Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]),
      "-o",
      "-",
      "-w",
      "\n%{http_code} %{redirect_url}",
      url,
    ],
    { encoding: "utf8" },
  );
  const last = out.lastIndexOf("\n");
  const [status, location = ""] = out.slice(last + 1).split(" ");
  return { status: Number(status), location, body: out.slice(0, last) };
}

async function sessionCookie(who: SignedIn) {
  const cookie = (await who.context.cookies(site("chat"))).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no ${SESSION_COOKIE} cookie for chat.${DOMAIN}`);
  return cookie;
}

/** A fresh browser holding only `cookie` opens chat.<domain> and ends at Entra's sign-in, by way of auth./login. */
async function expectSentToSignIn(cookie: Cookie, label: string): Promise<void> {
  const context = await browser.newContext();
  await context.addCookies([cookie]);
  const page = await context.newPage();
  const visited: string[] = [];
  page.on("request", (request) => request.isNavigationRequest() && visited.push(request.url()));
  await page.goto(`${site("chat")}/`);
  await page.waitForURL((url) => url.origin === new URL(entra.issuer).origin);
  await shot(page, label);
  expect(visited[1]).toMatch(new RegExp(`^https://auth\\.${DOMAIN}:\\d+/login\\?rd=`));
  await context.close();
}

/** The tools `who` gets from mcp.<domain>/openapi.json, opened in their browser with their session cookie. */
async function toolsOnMcp(who: SignedIn): Promise<string[]> {
  const page = await who.context.newPage();
  const response = await page.goto(`${site("mcp")}/openapi.json`);
  expect(response?.status()).toBe(200);
  const spec = (await response!.json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
  await page.close();
  return Object.values(spec.paths).flatMap((operations) => Object.values(operations).flatMap((operation) => operation.operationId ?? []));
}

/** Every group's servers, as the proxy's permissions hold them. */
async function grants(): Promise<{ group_name: string; tenant_id: string }[]> {
  return (await withClient(database.url, (client) => client.query("SELECT group_name, tenant_id FROM group_tenant_mapping ORDER BY 1, 2"))).rows;
}

/** The CSRF token of the portal's forms, as served to `who`. */
async function portalToken(who: SignedIn): Promise<string> {
  const page = await who.context.newPage();
  await page.goto(`${site("mcp")}/portal/groups`);
  const token = await page.locator('input[name="csrf"]').first().inputValue();
  await page.close();
  return token;
}

/** A POST from a page in the browser, as another page's form would send it: the browser adds Origin and the cookies it allows. */
async function postFormFrom(page: Page, action: string, fields: Record<string, string>) {
  const answered = page.waitForResponse((response) => response.url() === action && response.request().method() === "POST");
  await page.evaluate(
    ({ action, fields }) => {
      const form = Object.assign(document.createElement("form"), { method: "post", action });
      for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
      document.body.append(form);
      form.submit();
    },
    { action, fields },
  );
  return answered;
}

const FORGED = {
  "X-User-Email": "ana@example.com",
  "X-User-Name": "Ana",
  "X-User-Groups": "mcp-admins,filesystem-users",
  "X-User-Role": "admin",
  "X-Gateway-Secret": "guess",
};

describe("the team stack, in a real browser", () => {
  let ana: SignedIn;
  let bob: SignedIn;
  let ada: SignedIn;

  it("signs ana in through Entra ID and lands her in Open WebUI as herself", async () => {
    ana = await signIn(PEOPLE.ana, "ana");
    const hosts = ana.visited.map(hostOf);
    // chat. → (ForwardAuth) auth./login → Entra's authorize and form → auth./callback → chat.
    expect(hosts[0]).toBe(`chat.${DOMAIN}`);
    expect(ana.visited[1]).toMatch(new RegExp(`^https://auth\\.${DOMAIN}:\\d+/login\\?rd=`));
    expect(hosts).toContain(hostOf(entra.issuer));
    expect(ana.visited.some((url) => url.startsWith(`${site("auth")}/callback?`))).toBe(true);
    expect(ana.visited.at(-1)).toMatch(new RegExp(`^https://chat\\.${DOMAIN}:\\d+/`));
    // The first to sign in, yet a user: Open WebUI's admins are ADMIN_GROUP's members (X-User-Role).
    expect(await whoAmI(ana)).toMatchObject({ email: "ana@example.com", name: "Ana Ångström", role: "user" });
  });

  it("records her Entra groups for the proxy: the mapped ones only", async () => {
    const rows = await withClient(database.url, (client) =>
      client.query("SELECT group_name, source FROM user_group_membership WHERE user_email = 'ana@example.com' ORDER BY group_name"),
    );
    expect(rows.rows).toEqual([{ group_name: "filesystem-users", source: "entra" }]);
  });

  it("signs bob in as himself, in another browser", async () => {
    bob = await signIn(PEOPLE.bob, "bob");
    expect(await whoAmI(bob)).toMatchObject({ email: "bob@example.com", name: "Bob Brown", role: "user" });
  });

  it("signs ada, of the Entra group mapped to mcp-admins, in as Open WebUI's admin", async () => {
    ada = await signIn(PEOPLE.ada, "ada");
    expect(await whoAmI(ada)).toMatchObject({ email: "ada@example.com", role: "admin" });
  });

  it("runs ana's chat with her group's tool", async () => {
    const { reply } = await chatTurn(ana, "filesystem_list_directory", { path: "." }, "ana-chat-filesystem");
    expect(reply.content).toMatch(/^Tool result: /);
    expect(reply.content).toContain("README.md");
  });

  it("refuses ana's chat a server outside her groups", async () => {
    const { reply } = await chatTurn(ana, "memory_read_graph", {}, "ana-chat-memory-refused");
    expect(reply.content).toContain("You may not use server 'memory'");
    expect(reply.content).not.toContain("entities");
  });

  it("runs bob's chat with his group's tool, and refuses him ana's", async () => {
    const own = await chatTurn(bob, "memory_read_graph", {}, "bob-chat-memory");
    expect(own.reply.content).toContain("entities");
    const other = await chatTurn(bob, "filesystem_list_directory", { path: "." }, "bob-chat-filesystem-refused");
    expect(other.reply.content).toContain("You may not use server 'filesystem'");
    expect(other.reply.content).not.toContain("README.md");
  });

  it("gives each person their own tools on mcp.<domain>, signed in by the same cookie", async () => {
    const [anas, bobs] = [await toolsOnMcp(ana), await toolsOnMcp(bob)];
    expect(anas).toContain("filesystem_list_directory");
    expect(bobs).toContain("memory_read_graph");
    expect(anas.filter((id) => !id.startsWith("filesystem_"))).toEqual([]);
    expect(bobs.filter((id) => !id.startsWith("memory_"))).toEqual([]);
  });

  it("gives forged identity headers from outside no identity", () => {
    const chat = curl(`${site("chat")}/api/v1/auths/`, { ...FORGED, Accept: "application/json" });
    expect(chat.status).toBe(401);
    const mcp = curl(`${site("mcp")}/openapi.json`, FORGED);
    expect(mcp.status).toBe(401);
    expect(mcp.body).not.toContain("/filesystem/");
    const call = curl(`${site("mcp")}/filesystem/list_directory`, FORGED, '{"path":"."}');
    expect(call.status).toBe(401);
    const browserish = curl(`${site("chat")}/`, { ...FORGED, Accept: "text/html" });
    expect(browserish.status).toBe(302);
    expect(browserish.location).toMatch(new RegExp(`^https://auth\\.${DOMAIN}:\\d+/login\\?rd=`));
  });

  it("believes the auth service, not the headers bob adds to his own signed-in requests", async () => {
    const cookie = (await bob.context.cookies(site("chat"))).map((c) => `${c.name}=${c.value}`).join("; ");
    // What Open WebUI's page sends to sign in by trusted header: no password.
    const signin = curl(`${site("chat")}/api/v1/auths/signin`, { ...FORGED, Cookie: cookie, "Content-Type": "application/json" }, '{"email":"","password":""}');
    expect(signin.status).toBe(200);
    expect(JSON.parse(signin.body)).toMatchObject({ email: "bob@example.com", role: "user" });
    const spec = curl(`${site("mcp")}/openapi.json`, { ...FORGED, Cookie: cookie });
    expect(spec.status).toBe(200);
    expect(spec.body).not.toContain("/filesystem/");
  });

  it("sends a tampered cookie back to sign-in", async () => {
    const session = await sessionCookie(bob);
    // One character of the encrypted part changed: the seal no longer opens.
    const parts = session.value.split(".");
    const middle = Math.floor(parts[3]!.length / 2);
    parts[3] = parts[3]!.slice(0, middle) + (parts[3]![middle] === "A" ? "B" : "A") + parts[3]!.slice(middle + 1);
    await expectSentToSignIn({ ...session, value: parts.join(".") }, "tampered-cookie-sent-to-sign-in");
  });

  it("sends an expired cookie back to sign-in", async () => {
    const session = await sessionCookie(bob);
    const expired = await seal(SECRETS.SESSION_SECRET, "session", { email: "bob@example.com", name: "Bob Brown", groups: ["memory-users"] }, -60);
    await expectSentToSignIn({ ...session, value: expired }, "expired-cookie-sent-to-sign-in");
  });

  it("signs ana out from Open WebUI's menu, and the next visit asks her to sign in again", async () => {
    await ana.page.goto(`${site("chat")}/`);
    await ana.page.locator('img[alt="Open User Profile Menu"]:visible').first().click();
    const signOut = ana.page.getByRole("menuitem", { name: "Sign Out" });
    await signOut.click();
    // Entra ID (here its stand-in) asks before it ends its own session too.
    await ana.page.waitForURL((url) => url.origin === new URL(entra.issuer).origin);
    await shot(ana.page, "ana-entra-sign-out");
    await ana.page.getByRole("button", { name: /sign me out/i }).click();
    await ana.page.waitForURL((url) => url.hostname === `auth.${DOMAIN}` && url.pathname === "/signed-out", { timeout: 30_000 });
    await shot(ana.page, "ana-signed-out");
    expect((await ana.context.cookies(site("chat"))).map((c) => c.name)).not.toContain(SESSION_COOKIE);
    await ana.page.goto(`${site("chat")}/`);
    await ana.page.waitForURL((url) => url.origin === new URL(entra.issuer).origin);
    await shot(ana.page, "ana-asked-to-sign-in-again");
  });

  // The admin portal comes last: its changes must not reach the steps above, and ana, signed out
  // now, signs in again by way of it.
  const PORTAL_GROUPS = () => `${site("mcp")}/portal/groups`;
  const GRANT = { action: "grant", group: "memory-users", server: "filesystem" };

  it("sends ana, signed out, from the portal to sign in and back to it: the 403 page, since she is no admin", async () => {
    const portal = `${site("mcp")}/portal`;
    const answered = ana.page.waitForResponse((response) => response.url() === portal && response.status() !== 302, { timeout: 60_000 });
    await ana.page.goto(portal);
    await ana.page.waitForURL((url) => url.origin === new URL(entra.issuer).origin);
    await ana.page.locator("input#username").fill(PEOPLE.ana.username);
    await ana.page.locator("button#sign-in").click();
    expect((await answered).status()).toBe(403);
    await ana.page.waitForURL(portal);
    expect(await ana.page.getByText("Only admins may use the admin portal").isVisible()).toBe(true);
    await shot(ana.page, "ana-portal-forbidden");
  });

  it("opens the admin portal on mcp.<domain> for ada, an admin by her Entra group, with her session", async () => {
    const response = await ada.page.goto(`${site("mcp")}/portal`);
    expect(response?.status()).toBe(200);
    expect(ada.page.url()).toBe(`${site("mcp")}/portal`);
    expect(await ada.page.getByRole("heading", { level: 1 }).textContent()).toBe("Servers");
    expect(await ada.page.locator('th[scope="row"]').allTextContents()).toEqual(["filesystem", "memory"]);
    await shot(ada.page, "ada-portal-servers");
  });

  it("lets ada grant bob's group a server by the form, which bob's tools on mcp.<domain> show at once, and revoke it", async () => {
    const before = await grants();
    expect(await toolsOnMcp(bob)).not.toContain("filesystem_list_directory");
    await ada.page.getByRole("navigation", { name: "Admin portal" }).getByRole("link", { name: "Groups" }).click();
    await ada.page.waitForURL(PORTAL_GROUPS());
    await ada.page.getByLabel("Group").fill(GRANT.group);
    await ada.page.getByLabel("Server").selectOption(GRANT.server);
    await ada.page.getByRole("button", { name: "Grant", exact: true }).click();
    await ada.page.waitForURL((url) => url.href.startsWith(`${PORTAL_GROUPS()}?notice=Granted`));
    expect(await ada.page.getByRole("status").textContent()).toBe("Granted filesystem to group memory-users.");
    await shot(ada.page, "ada-portal-granted");
    expect(await grants()).toContainEqual({ group_name: "memory-users", tenant_id: "filesystem" });
    expect(await toolsOnMcp(bob)).toContain("filesystem_list_directory");

    await ada.page.getByRole("button", { name: "Revoke filesystem from memory-users" }).click();
    await ada.page.waitForURL((url) => url.href.startsWith(`${PORTAL_GROUPS()}?notice=Revoked`));
    expect(await ada.page.getByRole("status").textContent()).toBe("Revoked filesystem from group memory-users.");
    expect(await grants()).toEqual(before);
    expect(await toolsOnMcp(bob)).not.toContain("filesystem_list_directory");
  });

  it("answers ada's refused change with a page that says why and leads back to her form", async () => {
    const before = await grants();
    await ada.page.goto(PORTAL_GROUPS());
    await ada.page.getByLabel("Group").fill("memory-users,filesystem-users");
    const answered = ada.page.waitForResponse((response) => response.url() === PORTAL_GROUPS() && response.request().method() === "POST");
    await ada.page.getByRole("button", { name: "Grant", exact: true }).click();
    expect((await answered).status()).toBe(400);
    expect(await ada.page.getByRole("alert").textContent()).toContain("no commas");
    await shot(ada.page, "ada-portal-change-refused");
    await ada.page.getByRole("link", { name: "Back" }).click();
    await ada.page.waitForURL(PORTAL_GROUPS());
    expect(await grants()).toEqual(before);
  });

  it("refuses a change posted from a page on chat.<domain>, though ada's cookie and even her token go along", async () => {
    const before = await grants();
    const csrf = await portalToken(ada);
    for (const fields of [GRANT, { ...GRANT, csrf }]) {
      // Same site: her session cookie (SameSite=Lax) goes along, and chat.<domain> is in CORS_ALLOW_ORIGINS.
      await ada.page.goto(`${site("chat")}/`, { waitUntil: "domcontentloaded" });
      const response = await postFormFrom(ada.page, PORTAL_GROUPS(), fields);
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain("Changes are accepted only from the portal&#39;s own pages");
    }
    await ada.page.waitForURL(PORTAL_GROUPS());
    await shot(ada.page, "ada-post-from-chat-refused");
    expect(await grants()).toEqual(before);
  });

  it("refuses a change posted from another site's page: the browser keeps ada's cookie back, so no identity", async () => {
    const before = await grants();
    const context = await browser.newContext();
    await context.addCookies([await sessionCookie(ada)]);
    const page = await context.newPage();
    await page.route("https://evil.example/", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Prize</title><p>You won!</p>" }),
    );
    await page.goto("https://evil.example/");
    const response = await postFormFrom(page, PORTAL_GROUPS(), GRANT);
    expect(response.status()).toBe(401);
    expect(await grants()).toEqual(before);
    await context.close();
  });

  it("refuses portal changes from outside without the portal's Origin and ada's token, and changes nothing", async () => {
    const before = await grants();
    const cookie = `${SESSION_COOKIE}=${(await sessionCookie(ada)).value}`;
    const csrf = await portalToken(ada);
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      curl(PORTAL_GROUPS(), { Cookie: cookie, ...headers }, new URLSearchParams(fields).toString()).status;
    expect(post({ Origin: "https://evil.example" }, { ...GRANT, csrf })).toBe(403);
    expect(post({ Origin: site("chat") }, { ...GRANT, csrf })).toBe(403);
    expect(post({ Origin: site("mcp") }, GRANT)).toBe(403);
    expect(post({ Origin: site("mcp") }, { ...GRANT, csrf: "0".repeat(64) })).toBe(403);
    expect(post({}, GRANT)).toBe(403);
    expect(await grants()).toEqual(before);
  });
});
