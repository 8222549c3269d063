// The bridge's database: PostgreSQL when DATABASE_URL is set, else PGlite in the data folder.
// Migrations run once it answers; until then they are retried, so a database that comes up
// after the bridge needs no restart.
import { join } from "node:path";
import type { BridgeConfig } from "../config.ts";
import type { Database } from "./database.ts";
import { ensureAdmin, migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { connectPostgres } from "./postgres.ts";

const RETRY_MS = 5_000;

export async function openDatabase(config: BridgeConfig): Promise<Database> {
  if (config.databaseUrl) {
    return connectPostgres({ connectionString: config.databaseUrl, statementTimeoutMs: config.statementTimeoutMs, maxConnections: 10 });
  }
  return openPglite(join(config.dataDir, "pglite"), config.statementTimeoutMs);
}

export function prepareSchema(db: Database, config: BridgeConfig): void {
  const attempt = async () => {
    try {
      const applied = await migrate(db);
      if (applied.length > 0) console.error(`[bridge] applied migrations: ${applied.join(", ")}`);
      if (config.adminEmail) await ensureAdmin(db, config.adminEmail, config.adminGroup);
    } catch (error) {
      console.error(`[bridge] database not ready (${(error as Error).message}); retrying in ${RETRY_MS / 1000} s`);
      setTimeout(attempt, RETRY_MS).unref();
    }
  };
  void attempt();
}
