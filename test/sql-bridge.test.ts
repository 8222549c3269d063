// The bridge's SQL endpoint, driven by the real @neondatabase/serverless driver (as the worker
// drives it), against a real PostgreSQL and against the embedded PGlite.
import { neon, neonConfig } from "@neondatabase/serverless";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_URL, createTestDatabase, withClient, type TestDatabase } from "./helpers/postgres.ts";
import { startBridge, type BridgeProcess } from "./helpers/processes.ts";
import { until } from "./helpers/wait.ts";

const backends = [
  ["PostgreSQL", async (db: TestDatabase | undefined) => ({ DATABASE_URL: db!.url })],
  ["PGlite", async () => ({ MCP_DATA_DIR: mkdtempSync(join(tmpdir(), "sql-bridge-pglite-")) })],
] as const;

describe.each(backends)("SQL over HTTP, backed by %s", (kind, settings) => {
  let database: TestDatabase | undefined;
  let bridge: BridgeProcess;
  let sql: ReturnType<typeof neon<false, false>>;

  beforeAll(async () => {
    if (kind === "PostgreSQL") database = await createTestDatabase();
    bridge = await startBridge({
      ...(await settings(database)),
      SQL_STATEMENT_TIMEOUT_MS: "1000",
      MCP_CATALOG: join(import.meta.dirname, "../catalog/mcp-servers.json"),
    });
    neonConfig.fetchEndpoint = `${bridge.url}/sql`;
    sql = neon("postgresql://mcp-proxy@bridge/mcp", { authToken: bridge.token });
    await sql`CREATE TABLE IF NOT EXISTS things (id int PRIMARY KEY, name text, tags text[], meta jsonb, at timestamptz, ok boolean)`;
  });

  afterAll(async () => {
    await bridge?.stop();
    await database?.drop();
  });

  it("passes parameters and NULLs, and brings back PostgreSQL's types", async () => {
    const at = new Date("2026-11-23T12:34:56.789Z");
    await sql.query("INSERT INTO things VALUES ($1, $2, $3, $4, $5, $6)", [
      1,
      'one \' "quoted" ünï 😀',
      ["a", "b,c", null],
      { deep: { list: [1, 2] } },
      at,
      true,
    ]);
    await sql.query("INSERT INTO things VALUES ($1, $2, $3, $4, $5, $6)", [2, null, null, null, null, null]);
    const rows = await sql`SELECT id, name, tags, meta, at, ok, 42::bigint AS big, 1.5::numeric AS num, 7::int2 AS small FROM things ORDER BY id`;
    expect(rows[0]).toEqual({
      id: 1,
      name: 'one \' "quoted" ünï 😀',
      tags: ["a", "b,c", null],
      meta: { deep: { list: [1, 2] } },
      at,
      ok: true,
      big: "42",
      num: "1.5",
      small: 7,
    });
    expect(rows[1]).toEqual({ id: 2, name: null, tags: null, meta: null, at: null, ok: null, big: "42", num: "1.5", small: 7 });
  });

  it("keeps SQL in parameters as data", async () => {
    const hostile = "'); DROP TABLE things; --";
    await sql.query("INSERT INTO things (id, name) VALUES ($1, $2)", [3, hostile]);
    const [row] = await sql`SELECT name FROM things WHERE name = ${hostile}`;
    expect(row).toEqual({ name: hostile });
    expect((await sql`SELECT count(*)::int AS n FROM things`)[0]).toEqual({ n: 3 });
  });

  it("hands a SQL error to the caller with PostgreSQL's message and code", async () => {
    const duplicate = await sql.query("INSERT INTO things (id) VALUES (1)").catch((error) => error);
    expect(duplicate.message).toContain("duplicate key value violates unique constraint");
    expect(duplicate.code).toBe("23505");
    const missing = await sql`SELECT * FROM no_such_table`.catch((error) => error);
    expect(missing).toMatchObject({ code: "42P01", message: 'relation "no_such_table" does not exist' });
    const syntax = await sql.query("SELEKT 1").catch((error) => error);
    expect(syntax.code).toBe("42601");
  });

  it("runs a transaction all or nothing", async () => {
    const results = await sql.transaction([sql`INSERT INTO things (id, name) VALUES (10, 'ten')`, sql`SELECT name FROM things WHERE id = 10`], {
      isolationLevel: "Serializable",
    });
    expect(results[1]).toEqual([{ name: "ten" }]);
    const failed = await sql
      .transaction([sql`INSERT INTO things (id, name) VALUES (11, 'eleven')`, sql`INSERT INTO things (id) VALUES (10)`])
      .catch((error) => error);
    expect(failed.code).toBe("23505");
    expect(await sql`SELECT id FROM things WHERE id = 11`).toEqual([]);
  });

  it("honours a read-only transaction", async () => {
    const error = await sql.transaction([sql`INSERT INTO things (id) VALUES (20)`], { readOnly: true }).catch((e) => e);
    expect(error.code).toBe("25006");
  });

  // PostgreSQL only: PGlite runs on the bridge's thread and cannot cancel a running statement
  // (documented in bridges/sql/pglite.ts and docs/permissions.md).
  it.runIf(kind === "PostgreSQL")("cancels a statement that runs past the time limit", async () => {
    const error = await sql`SELECT pg_sleep(3)`.catch((e) => e);
    expect(error.code).toBe("57014");
  });

  it("has the schema migrated, with the default groups seeded", async () => {
    const rows = await sql`SELECT * FROM group_tenant_mapping`;
    expect(rows).toContainEqual(expect.objectContaining({ group_name: "mcp-admins", tenant_id: "*" }));
    expect(rows).toContainEqual(expect.objectContaining({ group_name: "filesystem-users", tenant_id: "filesystem" }));
  });

  it.runIf(kind === "PostgreSQL")("fails only the request whose connection PostgreSQL ends, and keeps answering", async () => {
    const terminateBridgeBackends = () =>
      withClient(POSTGRES_URL, async (client) => {
        const { rowCount } = await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'mcp-proxy-bridge' AND query LIKE '%pg_sleep%'",
          [database!.name],
        );
        return (rowCount ?? 0) > 0;
      });
    for (let round = 0; round < 3; round++) {
      const sleeping = sql`SELECT pg_sleep(0.9)`.catch((error: Error) => error);
      await until(terminateBridgeBackends, "the bridge's connection to be running pg_sleep");
      expect(String(await sleeping)).toMatch(/terminat/i);
    }
    expect(bridge.child.exitCode).toBeNull();
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  // Last: the bridge answers 413 before reading the body and then closes that connection, which a
  // later request reusing it from fetch's pool can meet as "other side closed".
  it("refuses requests without the bridge's token, and oversized ones", async () => {
    const anonymous = neon("postgresql://mcp-proxy@bridge/mcp");
    await expect(anonymous`SELECT 1`).rejects.toThrow(/HTTP status 401/);
    const wrong = neon("postgresql://mcp-proxy@bridge/mcp", { authToken: "wrong-token-0123456789abcdef" });
    await expect(wrong`SELECT 1`).rejects.toThrow(/HTTP status 401/);
    await expect(sql.query("SELECT $1::text", ["x".repeat(2 * 1024 * 1024)])).rejects.toThrow(/HTTP status 413/);
  });
});
