// Applies the schema's migrations that have not run yet, each in its own transaction, and makes
// ADMIN_EMAIL (when set) an admin. Safe to run on every start and from several bridges at once.
import { MIGRATIONS_TABLE, readMigrations, recordMigration } from "../../schema/migrations.ts";
import { MIGRATIONS_DIR } from "../paths.ts";
import type { Database } from "./database.ts";

/** Serialises concurrent migrators (pg_advisory_xact_lock key). */
export const MIGRATION_LOCK = 421_337;

export async function migrate(db: Database): Promise<string[]> {
  const applied: string[] = [];
  for (const migration of readMigrations(MIGRATIONS_DIR)) {
    const ran = await db.transaction(async (tx) => {
      await tx.exec(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}); ${MIGRATIONS_TABLE}`);
      const done = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version]);
      if (done.rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.exec(recordMigration(migration));
      return true;
    });
    if (ran) applied.push(migration.file);
  }
  return applied;
}

/** `email` is already the permission key (schema/email.ts). */
export async function ensureAdmin(db: Database, email: string, adminGroup: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO user_admin_status (user_email, is_admin) VALUES ($1, true)
       ON CONFLICT (user_email) DO UPDATE SET is_admin = true, updated_at = now()`,
      [email],
    );
    await tx.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ($1, $2) ON CONFLICT DO NOTHING", [email, adminGroup]);
  });
}
