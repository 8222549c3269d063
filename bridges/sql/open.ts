// The bridge's database: PostgreSQL when DATABASE_URL is set, else PGlite in the data folder.
// Migrations run once it answers, as the owner (DATABASE_OWNER_URL, or DATABASE_URL without it);
// until then they are retried, so a database that comes up after the bridge needs no restart.
import { join } from "node:path";
import type { BridgeConfig } from "../config.ts";
import { log } from "../log.ts";
import type { Database } from "./database.ts";
import { ensureAdmin, migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { connectPostgres } from "./postgres.ts";
import { ensureRuntimeRole, isSuperuser, loginRoleOf } from "./runtime-role.ts";

const RETRY_MS = 5_000;

export async function openDatabase(config: BridgeConfig): Promise<Database> {
  if (config.DATABASE_URL) {
    return connectPostgres({ connectionString: config.DATABASE_URL, statementTimeoutMs: config.SQL_STATEMENT_TIMEOUT_MS, maxConnections: 10 });
  }
  return openPglite(join(config.MCP_DATA_DIR, "pglite"), config.SQL_STATEMENT_TIMEOUT_MS);
}

/** Resolves once the schema is ready, however many attempts that took. */
export function prepareSchema(db: Database, config: BridgeConfig): Promise<void> {
  return new Promise((ready) => {
    const attempt = async () => {
      try {
        await prepareOnce(db, config);
        ready();
      } catch (error) {
        log.warn(`database not ready (${(error as Error).message}); retrying in ${RETRY_MS / 1000} s`);
        setTimeout(attempt, RETRY_MS).unref();
      }
    };
    void attempt();
  });
}

async function prepareOnce(db: Database, config: BridgeConfig): Promise<void> {
  const owner = config.DATABASE_OWNER_URL
    ? connectPostgres({ connectionString: config.DATABASE_OWNER_URL, statementTimeoutMs: config.SQL_STATEMENT_TIMEOUT_MS, maxConnections: 1 })
    : db;
  try {
    const applied = await migrate(owner);
    if (applied.length > 0) log.info(`applied migrations: ${applied.join(", ")}`);
    if (owner !== db) await ensureRuntimeRole(owner, loginRoleOf(config.DATABASE_URL!));
    if (config.ADMIN_EMAIL) await ensureAdmin(owner, config.ADMIN_EMAIL, config.ADMIN_GROUP);
  } finally {
    if (owner !== db) await owner.close().catch(() => {});
  }
  if (db.kind === "postgres" && !config.DATABASE_OWNER_URL && (await isSuperuser(db))) {
    log.warn(
      "warning: DATABASE_URL logs in as a superuser, and POST /sql runs as it; set DATABASE_OWNER_URL and give DATABASE_URL a role of its own (docs/deploy-docker.md)",
    );
  }
}
