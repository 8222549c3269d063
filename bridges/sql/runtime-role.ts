// The login role the proxy queries as (DATABASE_URL's user): created, or brought back to its
// rights, by the owner (DATABASE_OWNER_URL) at every start. It may log in and holds what the
// migrations grant mcp_proxy_runtime, nothing more; its password is the one in DATABASE_URL.
import type { Database } from "./database.ts";
import { MIGRATION_LOCK } from "./migrate.ts";

/** The NOLOGIN role the migrations grant the runtime privileges to (schema/migrations/0003). */
export const RUNTIME_GROUP = "mcp_proxy_runtime";
const ATTRIBUTES = "LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

export interface LoginRole {
  user: string;
  password: string | null;
}

export function loginRoleOf(databaseUrl: string): LoginRole {
  const url = new URL(databaseUrl);
  return { user: decodeURIComponent(url.username), password: url.password ? decodeURIComponent(url.password) : null };
}

export async function ensureRuntimeRole(owner: Database, { user, password }: LoginRole): Promise<void> {
  await owner.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const [me] = (await tx.query("SELECT current_user")).rows;
    if (me?.[0] === user) throw new Error(`DATABASE_URL and DATABASE_OWNER_URL both log in as "${user}": give the proxy a role of its own`);
    const existing = await tx.query("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [user]);
    if (existing.rows[0]?.[0] === "t") throw new Error(`DATABASE_URL's role "${user}" is a superuser: give the proxy a role of its own`);
    const verb = existing.rows.length > 0 ? "ALTER" : "CREATE";
    // DDL takes no parameters: PostgreSQL's format() quotes the name and the password.
    const statements = await tx.query(
      `SELECT format('${verb} ROLE %I ${ATTRIBUTES} PASSWORD %L', $1::text, $2::text), format('GRANT ${RUNTIME_GROUP} TO %I', $1::text)`,
      [user, password],
    );
    for (const statement of statements.rows[0] ?? []) await tx.query(statement!);
  });
}

/** True when the role the proxy queries as may do anything (a dev set-up with only DATABASE_URL). */
export async function isSuperuser(db: Database): Promise<boolean> {
  const result = await db.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
  return result.rows[0]?.[0] === "t";
}
