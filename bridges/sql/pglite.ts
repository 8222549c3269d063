// An embedded PostgreSQL (PGlite, in WebAssembly) persisted in a folder: permissions work with
// no database server installed. One process at a time may open the folder. It runs on the
// bridge's own thread, so it cannot cancel a statement at statement_timeout: use PostgreSQL
// (DATABASE_URL) in production.
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { mkdirSync } from "node:fs";
import { transactionMode, type Database, type Params, type Queryable, type RawResult } from "./database.ts";

export async function openPglite(dataDir: string, statementTimeoutMs: number): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  await db.exec(`SET statement_timeout = ${Math.floor(statementTimeoutMs)}`);
  // PGlite parses values itself; a parser per known type that returns the text keeps them raw.
  const types = await db.query<{ oid: number }>("SELECT oid::int AS oid FROM pg_type");
  const parsers = Object.fromEntries(types.rows.map(({ oid }) => [oid, (text: string) => text]));

  const on = (client: PGlite | Transaction): Queryable => ({
    async query(text: string, params: Params = []): Promise<RawResult> {
      const result = await client.query<(string | null)[]>(text, params, { rowMode: "array", parsers });
      const command = text.trim().split(/\s+/, 1)[0]?.toUpperCase() ?? "";
      return { command, rowCount: result.affectedRows || result.rows.length, fields: result.fields, rows: result.rows };
    },
    async exec(sql: string): Promise<void> {
      await client.exec(sql);
    },
  });

  return {
    kind: "pglite",
    ...on(db),
    transaction(work, options) {
      return db.transaction(async (tx) => {
        const mode = transactionMode(options);
        if (mode) await tx.exec(`SET TRANSACTION ${mode}`);
        return work(on(tx));
      });
    },
    close: () => db.close(),
  };
}
