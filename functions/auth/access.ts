// What a caller may use: every server for the operator and admins, else the servers their groups
// map to. Read from PostgreSQL, cached a few seconds per user; a database failure refuses (503).
import { IsolateCache } from "../cache.ts";
import { countGrantsLookup } from "../metrics/proxy-metrics.ts";
import type { Env } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { sqlFor } from "../db.ts";
import type { Caller } from "./identity.ts";
import type { AuthSettings } from "./settings.ts";

export interface Access {
  caller: Caller;
  admin: boolean;
  /** Server names the caller may use, or "all". */
  servers: ReadonlySet<string> | "all";
}

/** A group_tenant_mapping row with this tenant grants every server. */
export const ALL_SERVERS = "*";
const QUERY_TIMEOUT_MS = 3_000;

const GRANTS_SQL = `
WITH groups AS (
  SELECT group_name FROM user_group_membership WHERE user_email = $1
  UNION
  SELECT unnest($2::text[])
)
SELECT
  coalesce((SELECT is_admin FROM user_admin_status WHERE user_email = $1), false) AS is_admin,
  coalesce((SELECT array_agg(group_name ORDER BY group_name) FROM groups), '{}') AS groups,
  coalesce((SELECT array_agg(DISTINCT tenant_id) FROM group_tenant_mapping WHERE group_name IN (SELECT group_name FROM groups)), '{}') AS servers`;

interface GrantRow {
  is_admin: boolean;
  groups: string[];
  servers: string[];
}

/** Per user and header groups. */
const grants = new IsolateCache<string, Access>(10_000);

export function allows(access: Access, server: string): boolean {
  return access.servers === "all" || access.servers.has(server);
}

/** Tool calls act for someone: in gateway mode the key alone lists tools but calls none. */
export function assertMayCall(access: Access): void {
  if (access.caller.kind === "key-holder") {
    throw new ProxyError(
      401,
      "unauthenticated",
      "A tool call needs a user: X-OpenWebUI-User-Jwt (Open WebUI with FORWARD_USER_INFO_HEADER_JWT_SECRET) or the gateway's headers",
    );
  }
}

export async function accessFor(caller: Caller, env: Env, settings: AuthSettings): Promise<Access> {
  if (caller.kind === "operator") return { caller, admin: true, servers: "all" };
  if (caller.kind === "key-holder") return { caller, admin: false, servers: "all" };
  const key = `${caller.email}\n${caller.groups.join(",")}`;
  const hit = grants.fresh(key, settings.grantsTtlMs);
  countGrantsLookup(hit !== undefined);
  if (hit) return hit;

  let row: GrantRow;
  try {
    const rows = (await sqlFor(env, QUERY_TIMEOUT_MS).query(GRANTS_SQL, [caller.email, caller.groups])) as GrantRow[];
    row = rows[0]!;
  } catch (error) {
    throw new ProxyError(
      503,
      "permissions_unavailable",
      "Permissions cannot be checked right now (the database is unavailable); refusing rather than guessing",
      {},
      { cause: error },
    );
  }
  const admin = row.is_admin || row.groups.includes(settings.adminGroup);
  return grants.set(key, { caller, admin, servers: admin || row.servers.includes(ALL_SERVERS) ? "all" : new Set(row.servers) });
}

/** After an admin change, this isolate sees it at once (others within GRANTS_TTL_SECONDS). */
export function forgetAccess(): void {
  grants.clear();
}
