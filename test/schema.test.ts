// The schema: migrations applied twice change nothing, and the init SQL for
// /docker-entrypoint-initdb.d builds exactly the same database (it is rendered from them).
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { connectPostgres } from "../bridges/sql/postgres.ts";
import { migrate } from "../bridges/sql/migrate.ts";
import { DEFAULT_ADMIN_GROUP } from "../schema/admin-group.ts";
import { INIT_SQL_FILE, renderInitSql } from "../schema/migrations.ts";
import { createTestDatabase, withClient, type TestDatabase } from "./helpers/postgres.ts";

// Each test makes its own databases, so none depends on what an earlier one left behind.
const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

/** A database with every migration applied, as the bridge leaves it at start-up. */
async function migratedDatabase(): Promise<TestDatabase> {
  const db = await emptyDatabase();
  await withMigrator(db, migrate);
  return db;
}

/** A database built by init-db-hetzner.sql, as /docker-entrypoint-initdb.d runs it. */
async function initialisedDatabase(): Promise<TestDatabase> {
  const db = await emptyDatabase();
  await withClient(db.url, (client) => client.query(readFileSync(INIT_SQL_FILE, "utf8")));
  return db;
}

async function withMigrator<T>(db: TestDatabase, work: (sql: ReturnType<typeof connectPostgres>) => Promise<T>): Promise<T> {
  const sql = connectPostgres({ connectionString: db.url, statementTimeoutMs: 5_000, maxConnections: 2 });
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

/** Everything that makes up the schema and its seeded rows, in a comparable form. */
async function describeDatabase(url: string) {
  return withClient(url, async (client) => {
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await rows(
        `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
      ),
      indexes: await rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
      constraints: await rows(
        `SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
      ),
      mappings: await rows(`SELECT group_name, tenant_id FROM group_tenant_mapping ORDER BY 1, 2`),
      migrations: await rows(`SELECT version, file FROM schema_migrations ORDER BY 1`),
      runtimeGrants: await rows(`SELECT table_name, privilege_type FROM information_schema.table_privileges WHERE grantee = 'mcp_proxy_runtime' ORDER BY 1, 2`),
    };
  });
}

describe("migrations", () => {
  it("apply once, and a second run changes nothing", async () => {
    const migrated = await emptyDatabase();
    await withMigrator(migrated, async (db) => {
      const first = await migrate(db);
      expect(first).toEqual([
        "0001_permissions.sql",
        "0002_default_groups.sql",
        "0003_runtime_role.sql",
        "0004_membership_source.sql",
        "0005_audit.sql",
        "0006_audit_indexes.sql",
      ]);
      const before = await describeDatabase(migrated.url);
      expect(await migrate(db)).toEqual([]);
      expect(await describeDatabase(migrated.url)).toEqual(before);
    });
  });

  it("create the four tables with keys, indexes and timestamps", async () => {
    const { columns, indexes } = await describeDatabase((await migratedDatabase()).url);
    const tables = (name: string) => columns.filter((c: any) => c.table_name === name).map((c: any) => c.column_name);
    expect(tables("user_group_membership")).toEqual(["created_at", "group_name", "source", "user_email"]);
    expect(tables("group_tenant_mapping")).toEqual(["created_at", "group_name", "tenant_id"]);
    expect(tables("user_admin_status")).toEqual(["created_at", "is_admin", "updated_at", "user_email"]);
    expect(tables("tool_call_audit")).toEqual([
      "arguments",
      "at",
      "caller",
      "duration_ms",
      "error_code",
      "face",
      "id",
      "outcome",
      "request_id",
      "result",
      "server",
      "status",
      "tool",
    ]);
    const names = indexes.map((i: any) => i.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        "user_group_membership_pkey",
        "user_group_membership_group_idx",
        "group_tenant_mapping_pkey",
        "group_tenant_mapping_tenant_idx",
        "user_admin_status_pkey",
        "tool_call_audit_pkey",
        "tool_call_audit_at_brin",
        "tool_call_audit_caller_id",
        "tool_call_audit_tool_id",
        "tool_call_audit_failures",
      ]),
    );
    expect(names).not.toContain("tool_call_audit_at"); // 0005's, dropped by 0006
  });

  it("keep emails lower-case, so they match case-insensitively", async () => {
    await withClient((await migratedDatabase()).url, async (client) => {
      const error = await client.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ('Bob@Example.com', 'x')").catch((e) => e);
      expect(error.code).toBe("23514");
    });
  });

  it("mark each membership 'manual' (the default) or 'entra' (the auth service's sync), nothing else", async () => {
    await withClient((await migratedDatabase()).url, async (client) => {
      await client.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ('ann@example.com', 'x')");
      expect((await client.query("SELECT source FROM user_group_membership WHERE user_email = 'ann@example.com'")).rows).toEqual([{ source: "manual" }]);
      const error = await client
        .query("INSERT INTO user_group_membership (user_email, group_name, source) VALUES ('ann@example.com', 'y', 'ldap')")
        .catch((e) => e);
      expect(error.code).toBe("23514");
    });
  });
});

describe("init-db-hetzner.sql", () => {
  it("is the migrations rendered, not a hand-kept copy (run `npm run schema:init` after changing them)", () => {
    expect(readFileSync(INIT_SQL_FILE, "utf8")).toBe(renderInitSql());
  });

  it("builds the same schema, rows and migration record as the migrations, and can run twice", async () => {
    const [initialised, migrated] = await Promise.all([initialisedDatabase(), migratedDatabase()]);
    await withClient(initialised.url, (client) => client.query(readFileSync(INIT_SQL_FILE, "utf8")));
    expect(await describeDatabase(initialised.url)).toEqual(await describeDatabase(migrated.url));
  });

  it("answers SELECT * FROM group_tenant_mapping; as written, with the default groups", async () => {
    const rows = await withClient((await initialisedDatabase()).url, async (client) => (await client.query("SELECT * FROM group_tenant_mapping;")).rows);
    expect(rows.map((r) => `${r.group_name}->${r.tenant_id}`)).toEqual(
      // The seeded admin group is the one both sides default to.
      expect.arrayContaining([`${DEFAULT_ADMIN_GROUP}->*`, "filesystem-users->filesystem", "memory-users->memory", "github-users->github"]),
    );
    expect(rows.every((r) => r.created_at instanceof Date)).toBe(true);
  });
});
