// /portal/access?email=: one user's effective access: their groups (manual and entra), the
// servers each grants, and whether they are an admin. Groups a gateway adds per request
// (X-User-Groups) are not stored and so not shown.
import { emailKey } from "../../schema/email.ts";
import { ALL_SERVERS } from "../auth/access.ts";
import { authSettings } from "../auth/settings.ts";
import { sqlFor } from "../db.ts";
import { runSql } from "../routes/admin.ts";
import type { RequestScope } from "../routes/context.ts";
import { Layout, Table } from "./layout.tsx";

const QUERY_TIMEOUT_MS = 5_000;

const ACCESS_SQL = `
SELECT m.group_name, m.source, coalesce(array_agg(g.tenant_id ORDER BY g.tenant_id) FILTER (WHERE g.tenant_id IS NOT NULL), '{}') AS servers
FROM user_group_membership m LEFT JOIN group_tenant_mapping g ON g.group_name = m.group_name
WHERE m.user_email = $1 GROUP BY m.group_name, m.source ORDER BY m.group_name`;
const ADMIN_SQL = "SELECT coalesce((SELECT is_admin FROM user_admin_status WHERE user_email = $1), false) AS is_admin";

interface GroupGrant {
  group_name: string;
  source: string;
  servers: string[];
}

export async function accessPage(scope: RequestScope, rawEmail: string | undefined) {
  const key = rawEmail?.trim() ? emailKey(rawEmail) : undefined;
  return (
    <Layout title="Access">
      <form method="get" action="/portal/access" aria-label="Pick a user">
        <label>
          User's email <input name="email" type="email" required value={rawEmail ?? ""} />
        </label>
        <button type="submit">Show access</button>
      </form>
      {key === undefined ? null : key.ok ? await effectiveAccess(scope, key.email) : <p class="problem">{key.problem}</p>}
    </Layout>
  );
}

async function effectiveAccess(scope: RequestScope, email: string) {
  const sql = sqlFor(scope.env, QUERY_TIMEOUT_MS);
  const [groups, adminRows] = await runSql(() => Promise.all([sql.query(ACCESS_SQL, [email]), sql.query(ADMIN_SQL, [email])]));
  const grants = groups as GroupGrant[];
  const adminGroup = authSettings(scope.env).adminGroup;
  const admin = (adminRows[0] as { is_admin: boolean }).is_admin || grants.some((g) => g.group_name === adminGroup);
  const servers = new Set(grants.flatMap((g) => g.servers));
  const every = admin || servers.has(ALL_SERVERS);
  return (
    <section aria-label={`Access of ${email}`}>
      <h2>{email}</h2>
      <p>
        Admin: <strong>{admin ? "yes" : "no"}</strong>. May use: <strong>{every ? "every server" : [...servers].sort().join(", ") || "no server"}</strong>.
      </p>
      <Table headers={["Group", "Source", "Servers it grants"]}>
        {grants.map((g) => (
          <tr>
            <td data-label="Group">{g.group_name}</td>
            <td data-label="Source">{g.source}</td>
            <td data-label="Servers">{g.group_name === adminGroup ? "every server (admin group)" : g.servers.join(", ") || "none"}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
