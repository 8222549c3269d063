// Each sign-in writes the user's mapped Entra groups into user_group_membership: Open WebUI's calls to
// the proxy carry only the user's email (its signed user JWT), so the proxy reads chat users' groups
// from there. The service owns only the rows marked source='entra' (migration 0004): it replaces
// them, and never touches a membership an admin added by hand.
import type { Sql } from "../../schema/bridge-sql.ts";

/**
 * One statement, so the set is replaced atomically: drop the user's Entra rows that are no longer in
 * the set, add the new ones. ON CONFLICT DO NOTHING: a group the user already has by hand stays manual.
 * The runtime role's SELECT, INSERT and DELETE (0003) suffice: no row is updated.
 */
export const SYNC_ENTRA_GROUPS = `
WITH removed AS (
  DELETE FROM user_group_membership
  WHERE user_email = $1 AND source = 'entra' AND NOT (group_name = ANY ($2::text[]))
)
INSERT INTO user_group_membership (user_email, group_name, source)
SELECT $1, group_name, 'entra' FROM unnest($2::text[]) AS wanted (group_name)
ON CONFLICT (user_email, group_name) DO NOTHING`;

export async function syncEntraGroups(sql: Sql, email: string, groups: readonly string[]): Promise<void> {
  await sql.query(SYNC_ENTRA_GROUPS, [email, [...groups]]);
}
