// The admin portal (/portal) against a real PostgreSQL in gateway mode (and for the operator, on
// PGlite): admins only, on every page and every change; a grant through the form reaches both
// faces; changes need the same-origin page's CSRF token; the audit trail filters and pages.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PortalStack, startPortalStack } from "./helpers/portal-stack.ts";
import { type TestDatabase, withClient } from "./helpers/postgres.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";

const SECRET = "portal-gateway-secret-0123456789";
const ADMIN = "root@example.com";
const MEMBER = "alice@example.com";
const PAGES = ["/portal", "/portal/groups", "/portal/users", `/portal/access?email=${MEMBER}`, "/portal/audit"];

let portal: PortalStack;
let database: TestDatabase;
let stack: TestStack;

beforeAll(async () => {
  portal = await startPortalStack(ADMIN, SECRET);
  ({ database, stack } = portal);
});

afterAll(() => portal?.stop());

const as = (email: string) => portal.as(email);
const page = (path: string, email: string) => fetch(stack.url + path, { headers: as(email) });

/** The form fields of a change, posted as a browser would from the portal's own page. */
function postForm(path: string, email: string, fields: Record<string, string>, origin: string | null = stack.url): Promise<Response> {
  return fetch(stack.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { ...as(email), "content-type": "application/x-www-form-urlencoded", ...(origin === null ? {} : { origin }) },
    body: new URLSearchParams(fields).toString(),
  });
}

async function tokenOf(email: string): Promise<string> {
  const html = await (await page("/portal/groups", email)).text();
  return /name="csrf" value="([0-9a-f]{64})"/.exec(html)![1]!;
}

const mappingRows = () =>
  withClient(database.url, async (c) => (await c.query("SELECT group_name, tenant_id FROM group_tenant_mapping WHERE group_name = 'portal-team'")).rows);

async function toolNamesOverMcp(email: string): Promise<string[]> {
  const client = new Client({ name: "portal-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp`), { requestInit: { headers: as(email) } }));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

describe("admins only", () => {
  it.each(PAGES)("a non-admin gets the 403 page at %s", async (path) => {
    const response = await page(path, "nobody@example.com");
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain("Only admins may use the admin portal");
    expect(html).not.toContain('href="/portal/'); // no links to pages that would refuse them too
  });

  it.each(["/portal/groups", "/portal/users"])("a non-admin's POST to %s is refused and changes nothing", async (path) => {
    const response = await postForm(path, "nobody@example.com", { csrf: await tokenOf(ADMIN), action: "grant", group: "portal-team", server: "edge" });
    expect(response.status).toBe(403);
    expect(await mappingRows()).toEqual([]);
  });

  it.each(PAGES)("an admin sees %s", async (path) => {
    const response = await page(path, ADMIN);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('href="#main"');
  });

  it("the servers page shows the server, its transport, tools and process", async () => {
    const html = await (await page("/portal", ADMIN)).text();
    expect(html).toContain("edge");
    expect(html).toContain("stdio");
    expect(html).toMatch(/restart\(s\)/);
  });
});

describe("changes", () => {
  it("refuses a POST without the token, with another's token, or from a foreign Origin, and changes nothing", async () => {
    const fields = { action: "grant", group: "portal-team", server: "edge" };
    expect((await postForm("/portal/groups", ADMIN, fields)).status).toBe(403);
    expect((await postForm("/portal/groups", ADMIN, { ...fields, csrf: "0".repeat(64) })).status).toBe(403);
    expect((await postForm("/portal/groups", ADMIN, { ...fields, csrf: await tokenOf(ADMIN) }, "https://evil.example")).status).toBe(403);
    expect(await mappingRows()).toEqual([]);
  });

  it("a grant through the forms reaches the member's /openapi.json and /mcp; a revoke takes it back", async () => {
    expect(Object.keys((await (await page("/openapi.json", MEMBER)).json()).paths)).not.toContain("/edge/echo");
    const csrf = await tokenOf(ADMIN);
    const added = await postForm("/portal/users", ADMIN, { csrf, action: "add-member", email: MEMBER, group: "portal-team" });
    expect(added.status).toBe(303);
    const granted = await postForm("/portal/groups", ADMIN, { csrf, action: "grant", group: "portal-team", server: "edge" });
    expect(granted.status).toBe(303);
    const location = granted.headers.get("location")!;
    expect(location).toMatch(/^\/portal\/groups\?notice=/);
    expect(await (await page(location, ADMIN)).text()).toContain("Granted edge to group portal-team.");
    expect(await mappingRows()).toEqual([{ group_name: "portal-team", tenant_id: "edge" }]);

    expect(Object.keys((await (await page("/openapi.json", MEMBER)).json()).paths)).toContain("/edge/echo");
    expect(await toolNamesOverMcp(MEMBER)).toContain("edge_echo");
    const access = await (await page(`/portal/access?email=${MEMBER}`, ADMIN)).text();
    expect(access).toContain("portal-team");
    expect(access).toMatch(/May use: <strong>edge<\/strong>/);

    expect((await postForm("/portal/groups", ADMIN, { csrf, action: "revoke", group: "portal-team", server: "edge" })).status).toBe(303);
    expect(await mappingRows()).toEqual([]);
    expect(await toolNamesOverMcp(MEMBER)).not.toContain("edge_echo");
  });

  it("sets and unsets an admin, and refuses an unknown server with a page that says why", async () => {
    const csrf = await tokenOf(ADMIN);
    expect((await postForm("/portal/users", ADMIN, { csrf, action: "set-admin", email: "bob@example.com" })).status).toBe(303);
    expect((await page("/portal", "bob@example.com")).status).toBe(200);
    expect((await postForm("/portal/users", ADMIN, { csrf, action: "unset-admin", email: "bob@example.com" })).status).toBe(303);
    expect((await page("/portal", "bob@example.com")).status).toBe(403);
    const refused = await postForm("/portal/groups", ADMIN, { csrf, action: "grant", group: "portal-team", server: "nope" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Not in the catalog: nope");
  });

  it("links a refused change's page back to the form it came from, also behind a gateway that terminates TLS", async () => {
    // Behind Traefik the browser's Referer is https://, the URL the proxy sees http://: same host, same page.
    const fromForm = `https://${new URL(stack.url).host}/portal/groups?notice=x`;
    const refused = await fetch(`${stack.url}/portal/groups`, {
      method: "POST",
      headers: { ...as(ADMIN), "content-type": "application/x-www-form-urlencoded", referer: fromForm },
      body: new URLSearchParams({ csrf: await tokenOf(ADMIN), action: "grant", group: "a,b", server: "edge" }).toString(),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<a href="/portal/groups?notice=x">Back</a>');
    const foreign = await fetch(`${stack.url}/portal/groups`, {
      method: "POST",
      headers: { ...as(ADMIN), "content-type": "application/x-www-form-urlencoded", referer: "https://evil.example/portal/groups" },
      body: new URLSearchParams({ action: "grant", group: "portal-team", server: "edge" }).toString(),
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('<a href="/portal">Back</a>');
  });
});

describe("the audit trail", () => {
  beforeAll(async () => {
    await withClient(database.url, (c) =>
      c.query(
        `INSERT INTO tool_call_audit (id, at, face, caller, server, tool, status, outcome, duration_ms, request_id)
         SELECT 100000 - n, timestamptz '2026-01-01T00:00:00Z' - make_interval(secs => n), 'openapi', CASE WHEN n % 2 = 0 THEN 'even@example.com' ELSE 'odd@example.com' END,
                'edge', 'echo', CASE WHEN n % 10 = 0 THEN 500 ELSE 200 END, CASE WHEN n % 10 = 0 THEN 'error' ELSE 'ok' END, 1, 'portal-audit-' || n
         FROM generate_series(1, 130) AS n`,
      ),
    );
  });

  const rowsOf = (html: string) => [...html.matchAll(/portal-audit-(\d+)/g)].map((m) => Number(m[1]));
  const olderLink = (html: string) => /<a href="([^"]+)">Older<\/a>/.exec(html)?.[1]?.replaceAll("&amp;", "&");

  it("filters by user and pages 50 at a time, newest first", async () => {
    const first = await (await page("/portal/audit?user=even@example.com", ADMIN)).text();
    expect(rowsOf(first)).toEqual(Array.from({ length: 50 }, (_, i) => 2 * (i + 1)));
    const second = await (await page(olderLink(first)!, ADMIN)).text();
    expect(rowsOf(second)).toEqual(Array.from({ length: 15 }, (_, i) => 2 * (i + 51)));
    expect(olderLink(second)).toBeUndefined();
  });

  it("filters by status, server, tool and time", async () => {
    const errors = await (await page("/portal/audit?status=500&server=edge&tool=echo", ADMIN)).text();
    expect(rowsOf(errors)).toEqual(Array.from({ length: 13 }, (_, i) => 10 * (i + 1)));
    const recent = await (await page("/portal/audit?user=odd@example.com&from=2025-12-31T23:59:54.5Z", ADMIN)).text();
    expect(rowsOf(recent)).toEqual([1, 3, 5]);
    // A datetime-local value (the form's) is UTC.
    const window = await (await page("/portal/audit?user=odd@example.com&from=2025-12-31T23:58:55Z&to=2025-12-31T23:59", ADMIN)).text();
    expect(rowsOf(window)).toEqual([61, 63, 65]);
    expect(rowsOf(await (await page("/portal/audit?tool=other", ADMIN)).text())).toEqual([]);
  });
});

describe("for the operator (no gateway mode)", () => {
  let operator: TestStack;
  beforeAll(async () => {
    operator = await startTestStack({ mcpServers: { edge: edgeStdio() } });
    await operator.waitUntilHealthy();
  });
  afterAll(() => operator?.stop());

  it("shows the pages and takes a change with the page's token", async () => {
    for (const path of PAGES) expect((await operator.get(path)).status, path).toBe(200);
    const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(await (await operator.get("/portal/groups")).text())![1]!;
    const granted = await fetch(`${operator.url}/portal/groups`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: operator.url },
      body: new URLSearchParams({ csrf, action: "grant", group: "ops", server: "edge" }).toString(),
    });
    expect(granted.status).toBe(303);
    expect(await (await operator.get("/portal/groups")).text()).toMatch(/<td data-label="Group">ops<\/td>/);
  });
});
