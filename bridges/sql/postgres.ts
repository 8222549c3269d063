// A real PostgreSQL behind a connection pool: one local HTTP round trip per query, no new connection.
// Each request (a statement, or a batch in its transaction) gets `statementTimeoutMs` in all. The
// session's statement_timeout is only the first line: a statement may lift it (SET LOCAL
// statement_timeout = 0), so past the limit the bridge itself cancels the backend from another
// connection, then terminates it if it still runs, and no further statement of the batch is sent.
import pg from "pg";
import { log } from "../log.ts";
import { transactionMode, type Database, type Params, type Queryable, type RawResult } from "./database.ts";

/** Leaves every value as text: the worker's driver parses it by its type oid. */
const rawText = { getTypeParser: () => (value: string) => value };
/** How long a cancelled backend has to stop before it is terminated. */
const TERMINATE_AFTER_MS = 1_000;

export interface PostgresOptions {
  connectionString: string;
  statementTimeoutMs: number;
  maxConnections: number;
}

/** What PostgreSQL itself answers for a statement_timeout (57014), naming the bridge's limit. */
export class StatementTimeout extends Error {
  readonly code = "57014";
  readonly severity = "ERROR";
  constructor(limitMs: number) {
    super(`canceling statement due to statement timeout: the bridge allows ${limitMs} ms per query or batch (SQL_STATEMENT_TIMEOUT_MS)`);
  }
}

interface Watch {
  readonly expired: boolean;
  stop(): void;
}

/** node-postgres keeps the backend's pid (from BackendKeyData) but its types do not declare it. */
function backendPid(client: pg.PoolClient): number {
  return (client as unknown as { processID: number }).processID;
}

export function connectPostgres({ connectionString, statementTimeoutMs, maxConnections }: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    statement_timeout: statementTimeoutMs,
    // Only for a connection that stopped answering altogether (the watch below cannot reach it).
    query_timeout: statementTimeoutMs + 2 * TERMINATE_AFTER_MS + 1_000,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    application_name: "mcp-proxy-bridge",
  });
  // An idle connection that breaks (database restart) must not crash the bridge; the pool replaces it.
  pool.on("error", (error) => log.error(`database connection lost: ${error.message}`));
  // Its own connection, so that cancelling works while the pool is busy. A role may signal its own backends.
  const signals = new pg.Pool({
    connectionString,
    max: 1,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    application_name: "mcp-proxy-bridge-watchdog",
  });
  signals.on("error", () => {});

  const signal = (fn: "pg_cancel_backend" | "pg_terminate_backend", pid: number) =>
    signals.query(`SELECT ${fn}($1)`, [pid]).catch((error: Error) => log.warn(`${fn} of a statement past its limit failed: ${error.message}`));

  const watch = (pid: number): Watch => {
    let expired = false;
    let terminate: NodeJS.Timeout | undefined;
    const cancel = setTimeout(() => {
      expired = true;
      void signal("pg_cancel_backend", pid);
      terminate = setTimeout(() => void signal("pg_terminate_backend", pid), TERMINATE_AFTER_MS);
    }, statementTimeoutMs);
    return {
      get expired() {
        return expired;
      },
      stop: () => {
        clearTimeout(cancel);
        clearTimeout(terminate);
      },
    };
  };

  /**
   * Runs `work` on one connection under the limit. Nothing a request did outlives it: the session
   * is reset (SET, advisory locks, prepared statements) before the connection goes back to the
   * pool, after the answer; one that overran, or was left inside a transaction, is closed instead.
   */
  const watched = async <T>(work: (client: pg.PoolClient, limit: Watch) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    // The pool listens for errors only on idle connections: one that breaks while lent out would
    // otherwise be an unhandled 'error' event, which stops the bridge.
    const lost = (error: Error) => log.warn(`database connection lost during a request: ${error.message}`);
    client.on("error", lost);
    const release = (error?: Error | boolean) => {
      client.off("error", lost);
      client.release(error);
    };
    const limit = watch(backendPid(client));
    try {
      return await work(client, limit);
    } catch (error) {
      throw limit.expired ? new StatementTimeout(statementTimeoutMs) : error;
    } finally {
      limit.stop();
      if (limit.expired) release(true);
      else
        void client.query("DISCARD ALL").then(
          () => release(),
          (error: Error) => release(error),
        );
    }
  };

  const on = (client: pg.PoolClient, limit: Watch): Queryable => ({
    async query(text: string, params: Params = []): Promise<RawResult> {
      if (limit.expired) throw new StatementTimeout(statementTimeoutMs);
      const result = await client.query({ text, values: params, rowMode: "array", types: rawText });
      return {
        command: result.command,
        rowCount: result.rowCount,
        fields: result.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID })),
        rows: result.rows,
      };
    },
    async exec(sql: string): Promise<void> {
      if (limit.expired) throw new StatementTimeout(statementTimeoutMs);
      await client.query(sql);
    },
  });

  return {
    kind: "postgres",
    query: (text, params) => watched((client, limit) => on(client, limit).query(text, params)),
    exec: (sql) => watched((client, limit) => on(client, limit).exec(sql)),
    transaction: (work, options) =>
      watched(async (client, limit) => {
        const mode = transactionMode(options);
        await client.query(mode ? `BEGIN ${mode}` : "BEGIN");
        try {
          const result = await work(on(client, limit));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw error;
        }
      }),
    close: async () => {
      await Promise.all([pool.end(), signals.end()]);
    },
  };
}
