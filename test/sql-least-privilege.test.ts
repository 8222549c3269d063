// What the bridge's token is worth against PostgreSQL, set up as the compose files set it up: the
// init SQL of /docker-entrypoint-initdb.d, then the bridge with DATABASE_OWNER_URL (the owner,
// start-up only) and DATABASE_URL (the least-privilege role it creates). POST /sql runs as that
// role: the worker's queries work, anything else is refused, and no statement outlives the cap.
import { neon, neonConfig } from "@neondatabase/serverless";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncEntraGroups } from "../functions/auth-service/group-sync.ts";
import { INIT_SQL_FILE, MIGRATIONS_TABLE, readMigrations, recordMigration } from "../schema/migrations.ts";
import { createTestDatabase, POSTGRES_URL, withClient, type TestDatabase } from "./helpers/postgres.ts";
import { BRIDGE_BUNDLE } from "../scripts/build-bridge.ts";
import { startBridge } from "./helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const SECRET = "gateway-secret-0123456789abcdef";
const API_KEY = "api-key-0123456789abcdef";
const LIMIT_MS = 1_000;

/** A login role of its own per run: roles belong to the whole PostgreSQL server. */
function runtimeUrl(database: TestDatabase, role: string): string {
  const url = new URL(database.url);
  url.username = role;
  url.password = "runtime-password-not-a-secret";
  return url.toString();
}

const dropRole = (role: string) => withClient(POSTGRES_URL, (client) => client.query(`DROP ROLE IF EXISTS ${role}`));
const newRole = () => `mcp_app_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

function sqlAs(bridgeUrl: string, token: string) {
  neonConfig.fetchEndpoint = `${bridgeUrl}/sql`;
  return neon("postgresql://mcp-proxy@bridge/mcp", { authToken: token });
}

let database: TestDatabase;
let role: string;
let stack: TestStack;
let sql: ReturnType<typeof sqlAs>;

beforeAll(async () => {
  database = await createTestDatabase();
  role = newRole();
  // What PostgreSQL's image runs on the first start of an empty volume.
  await withClient(database.url, (client) => client.query(readFileSync(INIT_SQL_FILE, "utf8")));
  stack = await startTestStack(
    { mcpServers: { alpha: edgeStdio() } },
    {
      API_GATEWAY_MODE: "true",
      API_GATEWAY_SECRET: SECRET,
      MCP_API_KEY: API_KEY,
      DATABASE_URL: runtimeUrl(database, role),
      DATABASE_OWNER_URL: database.url,
      ADMIN_EMAIL: "root@example.com",
      GRANTS_TTL_SECONDS: "1",
      SQL_STATEMENT_TIMEOUT_MS: String(LIMIT_MS),
    },
  );
  sql = sqlAs(stack.bridgeUrl, stack.bridgeToken);
  await until(async () => (await sql`SELECT 1 AS ok`.catch(() => [])).length === 1, "the runtime role to log in");
  await stack.waitUntilHealthy();
});

afterAll(async () => {
  await stack?.stop();
  await database?.drop();
  if (role) await dropRole(role);
});

const as = (email: string) => ({ authorization: `Bearer ${API_KEY}`, "x-gateway-secret": SECRET, "x-user-email": email });

describe("POST /sql runs as a least-privilege role", () => {
  it("is the role from DATABASE_URL: no superuser, no CREATEROLE, CREATEDB, replication or server-file roles", async () => {
    const [me] = await sql`
      SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
             pg_has_role(current_user, 'pg_read_server_files', 'USAGE') AS read_files,
             pg_has_role(current_user, 'pg_write_server_files', 'USAGE') AS write_files,
             pg_has_role(current_user, 'pg_execute_server_program', 'USAGE') AS run_programs
      FROM pg_roles WHERE rolname = current_user`;
    expect(me).toEqual({
      name: role,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      read_files: false,
      write_files: false,
      run_programs: false,
    });
    expect(stack.output()).not.toContain("logs in as a superuser");
    expect(stack.output()).not.toContain("runtime-password-not-a-secret");
  });

  it("holds exactly what the worker's queries need on the permission tables and the audit trail", async () => {
    const grants = await sql`
      SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
      FROM information_schema.table_privileges WHERE grantee = 'mcp_proxy_runtime' GROUP BY table_name ORDER BY table_name`;
    expect(grants).toEqual([
      { table_name: "group_tenant_mapping", privileges: "DELETE,INSERT,SELECT" },
      { table_name: "tool_call_audit", privileges: "DELETE,INSERT,SELECT" },
      { table_name: "user_admin_status", privileges: "INSERT,SELECT,UPDATE" },
      { table_name: "user_group_membership", privileges: "DELETE,INSERT,SELECT" },
    ]);
  });

  it("suffices for the auth service's group sync (one DELETE + INSERT statement, no UPDATE)", async () => {
    await sql`INSERT INTO user_group_membership (user_email, group_name) VALUES ('sync@example.com', 'kept-by-hand')`;
    await syncEntraGroups(sql, "sync@example.com", ["alpha-users", "kept-by-hand"]);
    await syncEntraGroups(sql, "sync@example.com", ["beta-users", "kept-by-hand"]);
    const rows = await sql`SELECT group_name, source FROM user_group_membership WHERE user_email = 'sync@example.com' ORDER BY 1`;
    expect(rows).toEqual([
      { group_name: "beta-users", source: "entra" },
      { group_name: "kept-by-hand", source: "manual" },
    ]);
  });

  const refused: [string, (role: string) => string, RegExp][] = [
    ["read a server file", () => "SELECT pg_read_file('/etc/passwd')", /permission denied for function pg_read_file/],
    ["create a table", () => "CREATE TABLE stolen (secret text)", /permission denied for schema public/],
    ["create a temporary table", () => "CREATE TEMP TABLE stolen (secret text)", /permission denied to create temporary tables/],
    ["create a role", () => "CREATE ROLE intruder LOGIN PASSWORD 'x'", /permission denied to create role/],
    [
      "create a superuser",
      () => "CREATE ROLE intruder SUPERUSER LOGIN PASSWORD 'x'",
      /must be superuser to create superusers|permission denied to create role/,
    ],
    ["create a database", () => "CREATE DATABASE stolen", /permission denied to create database/],
    ["drop a permission table", () => "DROP TABLE user_group_membership", /must be owner of table user_group_membership/],
    ["truncate a permission table", () => "TRUNCATE user_group_membership", /permission denied for table user_group_membership/],
    ["delete admins (only revoked, never deleted)", () => "DELETE FROM user_admin_status", /permission denied for table user_admin_status/],
    ["read the migrations' record", () => "SELECT * FROM schema_migrations", /permission denied for table schema_migrations/],
    ["make itself a superuser", (name) => `ALTER ROLE ${name} SUPERUSER`, /permission denied to alter role|must be superuser to alter superuser/],
    ["run a program", () => "COPY user_group_membership TO PROGRAM 'id'", /must be superuser or have privileges of the pg_execute_server_program role/],
    ["write a server file", () => "COPY user_group_membership TO '/tmp/stolen.csv'", /must be superuser or have privileges of the pg_write_server_files role/],
  ];

  it.each(refused)("refuses to %s, with PostgreSQL's code and message", async (_what, statement, message) => {
    const error = await sql.query(statement(role)).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("42501");
    expect(error.message).toMatch(message);
  });

  it("left the schema and the role as they were", async () => {
    await withClient(database.url, async (client) => {
      const { rows } = await client.query(
        `SELECT to_regclass('user_group_membership') IS NOT NULL AS kept, to_regclass('stolen') IS NULL AS none_made,
                (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS superuser, NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intruder') AS no_intruder`,
        [role],
      );
      expect(rows[0]).toEqual({ kept: true, none_made: true, superuser: false, no_intruder: true });
    });
  });
});

describe("the worker's own queries, through the whole stack", () => {
  it("looks up a user's grants and lets the admin list, grant and revoke every table", async () => {
    const root = as("root@example.com");
    const grace = as("grace@example.com");
    expect((await stack.post("/alpha/echo", { message: "x" }, grace)).status).toBe(403);

    expect((await stack.post("/admin/mappings", { add: [{ group: "graces", server: "alpha" }] }, root)).status).toBe(200);
    expect((await stack.post("/admin/memberships", { add: [{ email: "grace@example.com", group: "graces" }] }, root)).status).toBe(200);
    await until(async () => (await stack.post("/alpha/echo", { message: "x" }, grace)).status === 200, "grace's grant");
    expect((await stack.post("/admin/memberships", { remove: [{ email: "grace@example.com", group: "graces" }] }, root)).status).toBe(200);
    expect((await stack.post("/admin/mappings", { remove: [{ group: "graces", server: "alpha" }] }, root)).status).toBe(200);
    await until(async () => (await stack.post("/alpha/echo", { message: "x" }, grace)).status === 403, "grace's revocation");

    expect((await stack.post("/admin/admins", { add: [{ email: "ivy@example.com" }] }, root)).status).toBe(200);
    expect((await stack.post("/admin/admins", { add: [{ email: "ivy@example.com" }] }, root)).status).toBe(200);
    expect((await stack.post("/admin/admins", { remove: [{ email: "ivy@example.com" }] }, root)).status).toBe(200);
    for (const list of ["memberships", "mappings", "admins"]) {
      const response = await stack.get(`/admin/${list}`, root);
      expect(response.status, list).toBe(200);
    }
    const admins = JSON.stringify(await (await stack.get("/admin/admins", root)).json());
    expect(admins).toContain("root@example.com");
    expect(admins).toMatch(/ivy@example\.com"[^}]*"is_admin":false|"is_admin":false[^}]*ivy@example\.com/);
  });
});

describe("the time limit", () => {
  it("holds when the batch lifts statement_timeout: the bridge cancels the statement in PostgreSQL", async () => {
    const marker = `lift_${process.pid}_${Date.now()}`;
    const started = Date.now();
    const error = await sql.transaction([sql.query("SET LOCAL statement_timeout = 0"), sql.query(`SELECT pg_sleep(30) AS ${marker}`)]).catch((e) => e);
    // The sleep asked for 30 s: an answer well before that means the bridge did not wait for it.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.code).toBe("57014");
    expect(error.message).toMatch(`the bridge allows ${LIMIT_MS} ms per query or batch`);
    await until(async () => !(await stillRunning(marker)), "the statement to stop in PostgreSQL", 5_000);
  });

  it("holds for a connection whose session lifted it", async () => {
    const marker = `session_${process.pid}_${Date.now()}`;
    await sql.query("SET statement_timeout = 0");
    const error = await sql.query(`SELECT pg_sleep(30) AS ${marker}`).catch((e) => e);
    expect(error.code).toBe("57014");
    await until(async () => !(await stillRunning(marker)), "the statement to stop in PostgreSQL", 5_000);
    expect((await sql`SELECT 1 AS ok`)[0]).toEqual({ ok: 1 });
  });
});

describe("nothing a request does outlives it", () => {
  const heldBy = (condition: string) =>
    withClient(database.url, async (client) => {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid WHERE a.usename = $1 AND ${condition}`,
        [role],
      );
      return rows[0].n > 0;
    });

  it("drops a session-level advisory lock (it could hold the migrations' lock for good)", async () => {
    await sql`SELECT pg_advisory_lock(421337)`;
    await until(async () => !(await heldBy("l.locktype = 'advisory'")), "the advisory lock to go", 5_000);
  });

  it("does not leave a transaction open on a pooled connection", async () => {
    await sql.query("BEGIN");
    await until(async () => !(await heldBy("a.state LIKE 'idle in transaction%'")), "the open transaction to go", 5_000);
    expect((await sql`SELECT 1 AS ok`)[0]).toEqual({ ok: 1 });
  });

  it("resets what a statement SET for the session", async () => {
    for (let round = 0; round < 5; round += 1) {
      await sql.query("SET statement_timeout = 0");
      await sql.query("SET search_path = pg_catalog");
      expect(await sql`SELECT current_setting('statement_timeout') AS timeout, current_setting('search_path') AS path`).toEqual([
        { timeout: "1s", path: '"$user", public' },
      ]);
    }
  });
});

async function stillRunning(marker: string): Promise<boolean> {
  return withClient(database.url, async (client) => {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()", [`%${marker}%`]);
    return rows[0].n > 0;
  });
}

describe("an existing database, upgraded", () => {
  it("gets the runtime role with grants on the tables it already has, and keeps its rows", async () => {
    const old = await createTestDatabase();
    const oldRole = newRole();
    const bridge = await (async () => {
      await withClient(old.url, async (client) => {
        await client.query(MIGRATIONS_TABLE);
        for (const migration of readMigrations().filter((m) => m.version <= "0002")) await client.query(`${migration.sql}\n${recordMigration(migration)}`);
        await client.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ('kept@example.com', 'memory-users')");
      });
      return startBridge({ DATABASE_URL: runtimeUrl(old, oldRole), DATABASE_OWNER_URL: old.url });
    })().catch(async (error) => {
      await old.drop();
      throw error;
    });
    try {
      const upgraded = sqlAs(bridge.url, bridge.token);
      await until(
        async () => (await upgraded`SELECT user_email FROM user_group_membership`.catch(() => [])).length === 1,
        "the runtime role to read the old rows",
      );
      expect(await upgraded`SELECT current_user AS name, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`).toEqual([
        { name: oldRole, superuser: false },
      ]);
      expect((await upgraded.query("CREATE TABLE stolen (x int)").catch((e) => e)).code).toBe("42501");
    } finally {
      await bridge.stop();
      await old.drop();
      await dropRole(oldRole);
    }
  });
});

describe("settings", () => {
  it("refuses DATABASE_OWNER_URL without DATABASE_URL, naming both", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BRIDGE_TOKEN: "test-token-0123456789abcdef",
      BRIDGE_PORT: "0",
      DATABASE_OWNER_URL: "postgresql://owner:pw@127.0.0.1/x",
    };
    delete env.DATABASE_URL;
    const result = spawnSync(process.execPath, [BRIDGE_BUNDLE], {
      env,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("DATABASE_OWNER_URL is set but DATABASE_URL is not");
  });

  it("will not make the owner its runtime role: it says so, without the password", async () => {
    const url = new URL(database.url);
    url.password = "owner-password-not-printed";
    const bridge = await startBridge({ DATABASE_URL: url.toString(), DATABASE_OWNER_URL: url.toString() });
    try {
      await until(async () => bridge.output().includes("give the proxy a role of its own"), "the bridge to refuse");
      expect(bridge.output()).toContain('DATABASE_URL and DATABASE_OWNER_URL both log in as "postgres"');
      expect(bridge.output()).not.toContain("owner-password-not-printed");
    } finally {
      await bridge.stop();
    }
  });
});
