// The audit trail's clean-up against a real PostgreSQL: rows past the retention go, newer ones
// stay, it runs at start and again on its interval, and 0 keeps everything.
import { afterAll, beforeAll, expect, it } from "vitest";
import { keepAuditFor } from "../../bridges/sql/audit-retention.ts";
import type { Database } from "../../bridges/sql/database.ts";
import { migrate } from "../../bridges/sql/migrate.ts";
import { connectPostgres } from "../../bridges/sql/postgres.ts";
import { createTestDatabase, type TestDatabase, withClient } from "../helpers/postgres.ts";
import { until } from "../helpers/wait.ts";

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = connectPostgres({ connectionString: database.url, statementTimeoutMs: 5_000, maxConnections: 2 });
  await migrate(db);
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const addRows = (ages: Record<string, number>) =>
  withClient(database.url, (client) =>
    client.query(
      `INSERT INTO tool_call_audit (at, face, caller, server, tool, status, outcome, duration_ms, request_id)
       SELECT now() - make_interval(days => age), 'openapi', 'operator', 's', 't', 200, 'ok', 1, id FROM unnest($1::text[], $2::int[]) AS r(id, age)`,
      [Object.keys(ages), Object.values(ages)],
    ),
  );
const ids = () =>
  withClient(database.url, async (client) => (await client.query("SELECT request_id FROM tool_call_audit ORDER BY request_id")).rows.map((r) => r.request_id));

it("deletes the rows older than the retention at start, and again on each interval, keeping the newer", async () => {
  await addRows({ "old-100": 100, "old-31": 31, "new-29": 29, "new-0": 0 });
  const stop = keepAuditFor(db, 30, 200);
  try {
    await until(async () => (await ids()).length === 2, "the start-up clean-up", 5_000);
    expect(await ids()).toEqual(["new-0", "new-29"]);
    await addRows({ "later-old": 45 });
    await until(async () => !(await ids()).includes("later-old"), "the next clean-up", 5_000);
    expect(await ids()).toEqual(["new-0", "new-29"]);
  } finally {
    stop();
  }
});

it("keeps every row with 0", async () => {
  await addRows({ "ancient-0": 4000 });
  const stop = keepAuditFor(db, 0, 50);
  await new Promise((done) => setTimeout(done, 300));
  stop();
  expect(await ids()).toContain("ancient-0");
});
