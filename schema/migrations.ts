// The database schema as versioned migrations, and the one init SQL file rendered from them for
// PostgreSQL's /docker-entrypoint-initdb.d. Both run the same SQL, so they cannot drift apart.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface Migration {
  /** "0001", from the file name; migrations apply in this order. */
  version: string;
  file: string;
  sql: string;
}

export const MIGRATIONS_DIR = join(import.meta.dirname, "migrations");
export const INIT_SQL_FILE = join(import.meta.dirname, "init-db-hetzner.sql");

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     text        PRIMARY KEY,
  file        text        NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
);`;

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: file.slice(0, 4), file, sql: readFileSync(join(dir, file), "utf8").trim() }));
}

export function recordMigration({ version, file }: Migration): string {
  return `INSERT INTO schema_migrations (version, file) VALUES ('${version}', '${file}') ON CONFLICT DO NOTHING;`;
}

/** The init SQL: every migration in order, each recorded as applied, safe to run twice. */
export function renderInitSql(migrations = readMigrations()): string {
  const parts = migrations.map((migration) => `-- ${migration.file}\n${migration.sql}\n${recordMigration(migration)}`);
  return [
    "-- Generated from schema/migrations by `npm run schema:init`: edit the migrations, not this file.",
    "-- PostgreSQL runs it once, on the first start of an empty data volume (/docker-entrypoint-initdb.d).",
    "",
    MIGRATIONS_TABLE,
    "",
    parts.join("\n\n"),
    "",
  ].join("\n");
}
