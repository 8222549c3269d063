// Gateway mode against a real PostgreSQL: who may use which servers, spoofed and hostile
// identities, the grants cache, and failing closed while the database is away.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePromText } from "./helpers/prometheus-text.ts";
import { createTestDatabase, tcpRelay, withClient, type Relay, type TestDatabase } from "./helpers/postgres.ts";
import { freePort, startEdgeServer, stopProcess } from "./helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const SECRET = "gateway-secret-0123456789abcdef";
const API_KEY = "api-key-0123456789abcdef";
const SERVERS = ["alpha", "beta", "gamma", "remote"];

let database: TestDatabase;
let relay: Relay;
let stack: TestStack;
let remote: ChildProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  const dbUrl = new URL(database.url);
  relay = await tcpRelay(dbUrl.hostname, Number(dbUrl.port));
  dbUrl.port = String(relay.port);
  const remotePort = await freePort();
  remote = await startEdgeServer("http", remotePort);
  stack = await startTestStack(
    {
      mcpServers: {
        alpha: edgeStdio(),
        beta: edgeStdio(),
        gamma: edgeStdio(),
        remote: { type: "streamable-http", url: `http://127.0.0.1:${remotePort}/mcp`, headers: { "X-Upstream-Key": "catalog-header" } },
      },
    },
    {
      API_GATEWAY_MODE: "true",
      API_GATEWAY_SECRET: SECRET,
      MCP_API_KEY: API_KEY,
      DATABASE_URL: dbUrl.toString(),
      GRANTS_TTL_SECONDS: "1",
      ADMIN_EMAIL: "Root@Example.com",
    },
  );
  await waitForSchema();
  await withClient(database.url, (client) =>
    client.query(`
      INSERT INTO group_tenant_mapping (group_name, tenant_id) VALUES ('alpha-users', 'alpha'), ('beta-users', 'beta'), ('everything', '*'), ('o''brien''s "group"', 'gamma');
      INSERT INTO user_group_membership (user_email, group_name) VALUES
        ('alice@example.com', 'alpha-users'), ('dave@example.com', 'mcp-admins'), ('frank@example.com', 'everything'),
        ('o''brien@example.com', 'o''brien''s "group"'), ('ünï.cödé@例え.jp', 'alpha-users');
      INSERT INTO user_admin_status (user_email, is_admin) VALUES ('carol@example.com', true), ('mallory@example.com', false), ('kai@example.com', true);
    `),
  );
  await stack.waitUntilHealthy();
});

afterAll(async () => {
  await stack?.stop();
  await stopProcess(remote);
  await relay?.close();
  await database?.drop();
});

async function waitForSchema(): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const ready = await withClient(database.url, async (client) => (await client.query("SELECT to_regclass('user_admin_status') AS t")).rows[0].t !== null);
    if (ready) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error("the bridge did not migrate the database");
}

/** Headers carry bytes: text beyond Latin-1 goes as its UTF-8 bytes, as gateways send it. */
const bytes = (text: string) => Buffer.from(text, "utf8").toString("latin1");

function as(email: string | null, headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${API_KEY}`, "x-gateway-secret": SECRET, ...(email ? { "x-user-email": bytes(email) } : {}), ...headers };
}

describe("who may use which servers", () => {
  const matrix: [string, Record<string, string>, string[]][] = [
    ["alice (group alpha-users in the database)", { "x-user-email": "alice@example.com" }, ["alpha"]],
    ["Alice in capitals (emails match case-insensitively)", { "x-user-email": "ALICE@Example.COM" }, ["alpha"]],
    ["bob (group beta-users from the gateway's header)", { "x-user-email": "bob@example.com", "x-user-groups": "beta-users" }, ["beta"]],
    ["alice with a header group too (groups add up)", { "x-user-email": "alice@example.com", "x-user-groups": "beta-users" }, ["alpha", "beta"]],
    ["carol (user_admin_status.is_admin)", { "x-user-email": "carol@example.com" }, SERVERS],
    ["dave (member of the admin group)", { "x-user-email": "dave@example.com" }, SERVERS],
    ["a header claiming the admin group", { "x-user-email": "eve@example.com", "x-user-groups": "mcp-admins" }, SERVERS],
    ["frank (a group mapped to '*')", { "x-user-email": "frank@example.com" }, SERVERS],
    ["mallory (is_admin false)", { "x-user-email": "mallory@example.com" }, []],
    ["erin (unknown: no grants)", { "x-user-email": "erin@example.com" }, []],
    ["Open WebUI's forwarded user", { "x-openwebui-user-email": "alice@example.com", "x-openwebui-user-role": "user" }, ["alpha"]],
    ["the ADMIN_EMAIL from the environment", { "x-user-email": "root@example.com" }, SERVERS],
    ["a quoted email in a quoted group", { "x-user-email": "o'brien@example.com" }, ["gamma"]],
  ];

  it.each(matrix)("%s sees and calls exactly their servers", async (_who, identity, allowed) => {
    const headers = as(null, identity);
    const listed = (await (await stack.get("/servers", headers)).json()).servers.map((s: any) => s.name).sort();
    expect(listed).toEqual(allowed);

    const doc = await (await stack.get("/openapi.json", headers)).json();
    const specServers = [
      ...new Set(
        Object.keys(doc.paths)
          .filter((p) => doc.paths[p].post && !p.startsWith("/admin/"))
          .map((p) => p.split("/")[1]),
      ),
    ].sort();
    expect(specServers).toEqual(allowed);

    for (const server of SERVERS) {
      const response = await stack.post(`/${server}/echo`, { message: "hi" }, headers);
      if (allowed.includes(server)) {
        expect(response.status, server).toBe(200);
      } else {
        expect(response.status, server).toBe(403);
        expect((await response.json()).error.message).toContain(`'${server}'`);
      }
    }
  });

  it("answers 403 for the spec of a server the caller may not use, 404 listing only theirs for an unknown one", async () => {
    expect((await stack.get("/beta/openapi.json", as("alice@example.com"))).status).toBe(403);
    const unknown = await (await stack.post("/nope/echo", {}, as("alice@example.com"))).json();
    expect(unknown.error.message).toContain("Available servers: alpha");
    expect(unknown.error.message).not.toContain("beta");
  });
});

describe("spoofing", () => {
  const denied = async (headers: Record<string, string>) => {
    const response = await stack.get("/servers", headers);
    return { status: response.status, body: await response.json() };
  };

  it("refuses identity headers without the gateway's secret", async () => {
    const { status, body } = await denied({ authorization: `Bearer ${API_KEY}`, "x-user-email": "carol@example.com" });
    expect(status).toBe(401);
    expect(body.error.message).toContain("trusted gateway");
  });

  it("refuses a wrong secret, a secret in another header, and a secret without a user", async () => {
    const carol = { authorization: `Bearer ${API_KEY}`, "x-user-email": "carol@example.com" };
    expect((await denied({ ...carol, "x-gateway-secret": `${SECRET}x` })).status).toBe(401);
    expect((await denied({ ...carol, "x-gateway-secret": SECRET.slice(0, -1) })).status).toBe(401);
    expect((await denied({ ...carol, "x-gateway-token": SECRET })).status).toBe(401);
    expect((await denied({ ...carol, authorization: `Bearer ${SECRET}` })).status).toBe(401);
    expect((await denied({ authorization: `Bearer ${API_KEY}`, "x-gateway-secret": SECRET })).body.error.message).toContain("named no user");
  });

  it("believes the gateway's correct secret without the API key (its Authorization is the user's own token), and still refuses a wrong one", async () => {
    const personalToken = { authorization: "Bearer a-personal-token-the-auth-service-checked" };
    const allowed = await stack.get("/servers", { ...personalToken, "x-gateway-secret": SECRET, "x-user-email": "alice@example.com" });
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).servers.map((s: any) => s.name)).toEqual(["alpha"]);
    expect((await denied({ ...personalToken, "x-gateway-secret": `${SECRET}x`, "x-user-email": "alice@example.com" })).status).toBe(401);
    expect((await denied({ "x-gateway-secret": `${SECRET}x`, "x-user-email": "alice@example.com" })).status).toBe(401);
    expect((await denied({ ...personalToken, "x-user-email": "alice@example.com" })).status).toBe(401);
  });

  it("reads header names in any case", async () => {
    const response = await stack.get("/servers", { AUTHORIZATION: `Bearer ${API_KEY}`, "X-GATEWAY-SECRET": SECRET, "X-User-EMAIL": "alice@example.com" });
    expect((await response.json()).servers.map((s: any) => s.name)).toEqual(["alpha"]);
  });

  it("refuses duplicated identity and secret headers", async () => {
    const twoUsers = new Headers(as("alice@example.com"));
    twoUsers.append("x-user-email", "carol@example.com");
    expect((await fetch(`${stack.url}/servers`, { headers: twoUsers })).status).toBe(400);
    const twoSecrets = new Headers(as("carol@example.com"));
    twoSecrets.append("x-gateway-secret", SECRET);
    expect((await fetch(`${stack.url}/servers`, { headers: twoSecrets })).status).toBe(401);
  });

  it("reads group lists with spaces and empty items", async () => {
    const response = await stack.get("/servers", as("nobody@example.com", { "x-user-groups": " , beta-users ,, ,alpha-users  ," }));
    expect((await response.json()).servers.map((s: any) => s.name)).toEqual(["alpha", "beta"]);
  });

  it("neither logs identity headers and secrets nor passes them upstream", async () => {
    const response = await stack.post(
      "/remote/request_headers",
      {},
      as("carol@example.com", { "x-user-groups": "beta-users", "x-openwebui-user-email": "carol@example.com", "x-openwebui-user-role": "admin" }),
    );
    const { headers } = await response.json();
    expect(headers["x-upstream-key"]).toBe("catalog-header");
    for (const name of ["x-user-email", "x-user-groups", "x-gateway-secret", "x-openwebui-user-email", "x-openwebui-user-role", "authorization"]) {
      expect(headers[name], name).toBeUndefined();
    }
    await stack.get("/servers", { "x-user-email": "spoofer@example.com", "x-gateway-secret": "wrong-secret-value" });
    const output = stack.output();
    for (const secret of [SECRET, API_KEY, "spoofer@example.com", "wrong-secret-value"]) expect(output).not.toContain(secret);
    // The caller's permission key is the `user` of each call's line (docs/operations.md), and nowhere else.
    const naming = output.split("\n").filter((line) => line.includes("carol@example.com"));
    expect(naming.length).toBeGreaterThan(0);
    for (const line of naming) {
      expect(JSON.parse(line.slice(line.indexOf("{")))).toMatchObject({ event: "tool_call", user: "carol@example.com" });
      expect(line.split("carol@example.com").length, line).toBe(2);
    }
  });
});

describe("hostile values", () => {
  it.each([
    ["an email with SQL in it", "x@y.com'; DROP TABLE user_group_membership; --", 400],
    ["a 10 kB email", `${"a".repeat(10_000)}@example.com`, 400],
    ["two emails", "alice@example.com, carol@example.com", 400],
    ["no email at all", "not-an-email", 400],
    ["an unknown unicode email", "ünï.kéin@例え.jp", 200],
    ["a quoted local part", "'quoted'@example.com", 200],
  ])("handles %s", async (_what, email, status) => {
    const response = await stack.get("/servers", as(email));
    expect(response.status).toBe(status);
    if (status === 200) expect((await response.json()).servers).toEqual([]);
  });

  it("matches a unicode email sent as UTF-8 to its row", async () => {
    const response = await stack.get("/servers", as("ünï.cödé@例え.jp"));
    expect((await response.json()).servers.map((s: any) => s.name)).toEqual(["alpha"]);
  });

  it.each([
    ["SQL in a group name", "beta-users') OR 1=1; DROP TABLE group_tenant_mapping; --", 200, []],
    ["a 10 kB group name", "g".repeat(10_000), 400, undefined],
    ["unicode group names", "ユーザー, beta-users", 200, ["beta"]],
  ])("handles %s in X-User-Groups", async (_what, groups, status, servers) => {
    const response = await stack.get("/servers", as("nobody@example.com", { "x-user-groups": bytes(groups) }));
    expect(response.status).toBe(status);
    if (servers) expect((await response.json()).servers.map((s: any) => s.name)).toEqual(servers);
  });

  it("keys an address in lower case: KAI@EXAMPLE.COM is the admin kai@example.com", async () => {
    const response = await stack.get("/servers", as("KAI@Example.com"));
    expect((await response.json()).servers.map((s: any) => s.name)).toEqual(SERVERS);
  });

  it.each([
    ["the Kelvin sign K", "\u212Aai@example.com"],
    ["a full-width ｋ", "\uff4bai@example.com"],
    ["a small roman numeral ⅼ", "kai@examp\u217ce.com"],
    ["a zero-width space", "kai\u200b@example.com"],
    ["a soft hyphen", "kai@exam\u00adple.com"],
    ["the Turkish İ", "KA\u0130@example.com"],
    ["a separate combining accent", "kai\u0301@example.com"],
  ])("refuses %s (400) rather than folding it into the admin kai@example.com", async (_what, email) => {
    const response = await stack.get("/servers", as(email));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "invalid_identity", message: expect.stringMatching(/^X-User-Email /) });
  });

  it.each([
    ["a Cyrillic а", "k\u0430i@example.com"],
    ["a dotless ı", "ka\u0131@example.com"],
  ])("keeps an address with %s a different user from kai@example.com", async (_what, email) => {
    const response = await stack.get("/servers", as(email));
    expect(response.status).toBe(200);
    expect((await response.json()).servers).toEqual([]);
  });

  it("executes nothing: the tables hold exactly the rows they were given", async () => {
    const rows = await withClient(database.url, async (client) => ({
      memberships: (await client.query("SELECT user_email || ' in ' || group_name AS row FROM user_group_membership ORDER BY 1")).rows.map((r) => r.row).sort(),
      mappings: (
        await client.query(
          "SELECT group_name || ' -> ' || tenant_id AS row FROM group_tenant_mapping WHERE tenant_id IN ('alpha', 'beta', 'gamma', '*') ORDER BY 1",
        )
      ).rows
        .map((r) => r.row)
        .sort(),
      admins: (await client.query("SELECT user_email || ' ' || is_admin AS row FROM user_admin_status ORDER BY 1")).rows.map((r) => r.row).sort(),
    }));
    expect(rows.memberships).toEqual(
      [
        "alice@example.com in alpha-users",
        "dave@example.com in mcp-admins",
        "frank@example.com in everything",
        "o'brien@example.com in o'brien's \"group\"",
        "root@example.com in mcp-admins",
        "ünï.cödé@例え.jp in alpha-users",
      ].sort(),
    );
    expect(rows.mappings).toEqual(["alpha-users -> alpha", "beta-users -> beta", "everything -> *", "mcp-admins -> *", "o'brien's \"group\" -> gamma"].sort());
    expect(rows.admins).toEqual(["carol@example.com true", "kai@example.com true", "mallory@example.com false", "root@example.com true"]);
  });
});

describe("the API key", () => {
  it("is needed on every route but /health, with an RFC 6750 challenge, by every caller but the gateway (its secret is its proof)", async () => {
    const identity = { "x-user-email": "carol@example.com" };
    for (const path of ["/servers", "/openapi.json", "/alpha/openapi.json", "/docs", "/admin/memberships"]) {
      const missing = await stack.get(path, identity);
      expect(missing.status, path).toBe(401);
      expect(missing.headers.get("www-authenticate"), path).toBe('Bearer realm="mcp-proxy"');
    }
    const wrong = await stack.get("/servers", { ...identity, authorization: "Bearer wrong-key" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await stack.get("/servers", { ...identity, authorization: `Basic ${API_KEY}` })).status).toBe(401);
    expect((await stack.post("/alpha/echo", { message: "x" }, identity)).status).toBe(401);
    expect((await stack.get("/health")).status).toBe(200);
  });
});

describe("grants", () => {
  it("are cached briefly: a change in the tables takes effect within GRANTS_TTL_SECONDS", async () => {
    const grace = as("grace@example.com");
    expect((await stack.post("/gamma/echo", { message: "x" }, grace)).status).toBe(403);
    await withClient(database.url, (client) =>
      client.query(
        "INSERT INTO group_tenant_mapping VALUES ('gamma-users', 'gamma'); INSERT INTO user_group_membership VALUES ('grace@example.com', 'gamma-users')",
      ),
    );
    await until(async () => (await stack.post("/gamma/echo", { message: "x" }, grace)).status === 200, "the grant to take effect");
    await withClient(database.url, (client) => client.query("DELETE FROM user_group_membership WHERE user_email = 'grace@example.com'"));
    await until(async () => (await stack.post("/gamma/echo", { message: "x" }, grace)).status === 403, "the revocation to take effect");
  });
});

describe("/metrics in gateway mode", () => {
  it("is for admins and the key holder, not for a signed-in user, and counts grants lookups", async () => {
    const alice = await stack.get("/metrics", as("alice@example.com"));
    expect(alice.status).toBe(403);
    expect(await alice.text()).not.toContain("mcp_proxy");
    const keyHolder = await stack.get("/metrics", { authorization: `Bearer ${API_KEY}` });
    expect(keyHolder.status).toBe(200);
    const lookups = (text: string) =>
      parsePromText(text)
        .samples.filter((s) => s.name === "mcp_proxy_grants_cache_lookups_total")
        .reduce((n, s) => n + s.value, 0);
    const before = lookups(await keyHolder.text());
    const carol = await stack.get("/metrics", as("carol@example.com"));
    expect(carol.status).toBe(200);
    expect(carol.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(lookups(await carol.text())).toBeGreaterThan(before);
  });
});

describe("the database going away", () => {
  it("refuses calls (503, fail closed), logs why, reports it in /health, and recovers by itself", async () => {
    const alice = as("alice@example.com");
    expect((await stack.post("/alpha/echo", { message: "x" }, alice)).status).toBe(200);
    const from = stack.output().length;
    relay.cut();
    try {
      await until(async () => (await stack.post("/alpha/echo", { message: "x" }, alice)).status === 503, "calls to be refused");
      const refused = await stack.post("/alpha/echo", { message: "x" }, alice);
      expect(refused.status).toBe(503);
      const { error } = await refused.clone().json();
      expect(error).toEqual({
        code: "permissions_unavailable",
        message: "Permissions cannot be checked right now (the database is unavailable); refusing rather than guessing",
      });
      // The operator's log says why: the refusal, then the database driver's error, with where.
      const logged = () =>
        stack
          .output()
          .slice(from)
          .split("\n")
          .find((text) => text.includes('"event":"permissions_unavailable"'));
      await until(async () => logged() !== undefined, "the cause to be logged");
      const line = logged();
      const entry = JSON.parse(line!.slice(line!.indexOf("{")));
      expect(entry).toMatchObject({ level: "error", what: "POST /alpha/echo" });
      expect(entry.causes[0]).toMatchObject({ name: "ProxyError", message: error.message });
      expect(entry.causes[1]).toMatchObject({ name: "NeonDbError", message: expect.stringContaining("database unavailable") });
      expect(entry.causes[1].stack.length).toBeGreaterThan(0);
      for (const secret of ["alice@example.com", SECRET, API_KEY, stack.bridgeToken]) expect(line).not.toContain(secret);
      // Nobody gets in on a guess: an unknown user is refused too, not allowed.
      expect((await stack.post("/beta/echo", { message: "x" }, as("erin@example.com"))).status).toBe(503);
      // Neither callers nor the public health check learn the database's address or the driver's error.
      const port = String(new URL(database.url).port);
      for (const text of [await refused.text(), await (await stack.get("/health")).text()]) {
        expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch failed/);
        expect(text).not.toContain(`:${port}`);
      }
      expect(await (await stack.get("/health")).json()).toEqual({ status: "degraded", latencyMs: expect.any(Number) });
      // An admin with the key sees the details.
      const health = await (await stack.get("/health", { authorization: `Bearer ${API_KEY}` })).json();
      expect(health.status).toBe("degraded");
      expect(health.database).toMatchObject({ status: "down", error: expect.any(String) });
    } finally {
      relay.restore();
    }
    await until(async () => (await stack.post("/alpha/echo", { message: "x" }, alice)).status === 200, "calls to work again");
    expect((await (await stack.get("/health", { authorization: `Bearer ${API_KEY}` })).json()).database.status).toBe("ok");
  });
});

describe("/health", () => {
  const key = { authorization: `Bearer ${API_KEY}` };
  it("tells anyone the status and latency only: no server names, errors or restarts", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong-key" }, { ...as("alice@example.com") }, { ...key, "x-user-email": "alice@example.com" }]) {
      const response = await stack.get("/health", headers);
      expect(response.status).toBe(200);
      expect(await response.json(), JSON.stringify(headers)).toEqual({ status: "ok", latencyMs: expect.any(Number) });
    }
  });

  it("shows every part to the key's holder and to admins", async () => {
    for (const headers of [key, as("carol@example.com"), as("dave@example.com")]) {
      const body = await (await stack.get("/health", headers)).json();
      expect(Object.keys(body.servers).sort(), JSON.stringify(headers)).toEqual(SERVERS);
      expect(body).toMatchObject({ status: "ok", proxy: { status: "ok" }, bridge: { status: "ok" }, database: { status: "ok" } });
    }
  });
});

describe("the admin API", () => {
  const root = as("root@example.com");

  it("lets an admin grant a server through a group, in one request, and revoke it", async () => {
    const henry = as("henry@example.com");
    expect((await stack.post("/beta/echo", { message: "x" }, henry)).status).toBe(403);
    const mapped = await stack.post("/admin/mappings", { add: [{ group: "henrys", server: "beta" }] }, root);
    expect(mapped.status).toBe(200);
    const joined = await stack.post("/admin/memberships", { add: [{ email: "Henry@Example.com", group: "henrys" }] }, root);
    expect(joined.status).toBe(200);
    expect((await joined.json()).memberships).toContainEqual(expect.objectContaining({ user_email: "henry@example.com", group_name: "henrys" }));
    await until(async () => (await stack.post("/beta/echo", { message: "x" }, henry)).status === 200, "henry's grant");
    await stack.post("/admin/memberships", { remove: [{ email: "henry@example.com", group: "henrys" }] }, root);
    await until(async () => (await stack.post("/beta/echo", { message: "x" }, henry)).status === 403, "henry's revocation");
  });

  it("makes and unmakes admins", async () => {
    expect((await stack.post("/admin/admins", { add: [{ email: "ivy@example.com" }] }, root)).status).toBe(200);
    await until(async () => (await stack.get("/admin/admins", as("ivy@example.com"))).status === 200, "ivy to be an admin");
    await stack.post("/admin/admins", { remove: [{ email: "ivy@example.com" }] }, root);
    await until(async () => (await stack.get("/admin/admins", as("ivy@example.com"))).status === 403, "ivy to be a user again");
  });

  it("refuses non-admins with 403", async () => {
    expect((await stack.get("/admin/memberships", as("alice@example.com"))).status).toBe(403);
    expect((await stack.post("/admin/memberships", { add: [{ email: "alice@example.com", group: "mcp-admins" }] }, as("alice@example.com"))).status).toBe(403);
  });

  it("validates its input with 400s naming what is wrong, and changes nothing then", async () => {
    const before = await (await stack.get("/admin/memberships", root)).json();
    const cases: [unknown, string, RegExp][] = [
      [{ add: [{ email: "not an email", group: "g" }] }, "add.0.email", /email/],
      [{ add: [{ email: "\u212Aai@example.com", group: "g" }] }, "add.0.email", /stands for another/],
      [{ add: [{ email: "a@b.c", group: "a,b" }] }, "add.0.group", /comma/],
      [{ add: [{ email: "a@b.c", group: "g".repeat(200) }] }, "add.0.group", /128/],
      [
        {
          add: [
            { email: "ok@example.com", group: "fine" },
            { email: "bad", group: "fine" },
          ],
        },
        "add.1.email",
        /email/,
      ],
    ];
    for (const [body, field, message] of cases) {
      const response = await stack.post("/admin/memberships", body, root);
      expect(response.status, JSON.stringify(body)).toBe(400);
      // The proxy's one error shape, naming the field, like every other 400.
      const { error } = await response.json();
      expect(error).toMatchObject({ code: "invalid_input", message: expect.stringContaining(`'${field}'`) });
      expect(error.message).toMatch(message);
    }
    const unknown = await stack.post("/admin/mappings", { add: [{ group: "g", server: "no-such-server" }] }, root);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toContain("no-such-server");
    expect(await (await stack.get("/admin/memberships", root)).json()).toEqual(before);
  });
});
