// A real PostgreSQL behind a connection pool: one local HTTP round trip per query, no new connection.
import pg from "pg";
import { transactionMode, type Database, type Params, type Queryable, type RawResult } from "./database.ts";

/** Leaves every value as text: the worker's driver parses it by its type oid. */
const rawText = { getTypeParser: () => (value: string) => value };

export interface PostgresOptions {
  connectionString: string;
  statementTimeoutMs: number;
  maxConnections: number;
}

export function connectPostgres({ connectionString, statementTimeoutMs, maxConnections }: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    application_name: "mcp-proxy-bridge",
  });
  // An idle connection that breaks (database restart) must not crash the bridge; the pool replaces it.
  pool.on("error", (error) => console.error(`[bridge] database connection lost: ${error.message}`));

  const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query(text: string, params: Params = []): Promise<RawResult> {
      const result = await client.query({ text, values: params, rowMode: "array", types: rawText });
      return { command: result.command, rowCount: result.rowCount, fields: result.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID })), rows: result.rows };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  });

  return {
    kind: "postgres",
    ...on(pool),
    async transaction(work, options) {
      const client = await pool.connect();
      try {
        const mode = transactionMode(options);
        await client.query(mode ? `BEGIN ${mode}` : "BEGIN");
        const result = await work(on(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
