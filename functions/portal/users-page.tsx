// /portal/users: users in groups (user_group_membership, with where each row came from) and
// admins (user_admin_status); add and remove both.
import { admins, listRows, memberships } from "../routes/admin.ts";
import type { RequestScope } from "../routes/context.ts";
import { PostForm, RowAction } from "./forms.tsx";
import { Layout, Table } from "./layout.tsx";

export const USERS_PATH = "/portal/users";

interface MembershipRow {
  user_email: string;
  group_name: string;
  source: "manual" | "entra";
}

interface AdminRow {
  user_email: string;
  is_admin: boolean;
}

export async function usersPage(scope: RequestScope, token: string, notice?: string) {
  const [members, adminRows] = await Promise.all([listRows(scope.env, memberships), listRows(scope.env, admins)]);
  return (
    <Layout title="Users" notice={notice}>
      <h2>Add a user to a group</h2>
      <PostForm action={USERS_PATH} token={token} label="Add to group">
        <input type="hidden" name="action" value="add-member" />
        <label>
          Email <input name="email" type="email" required autocomplete="off" />
        </label>
        <label>
          Group <input name="group" required maxlength={128} autocomplete="off" />
        </label>
        <button type="submit">Add</button>
      </PostForm>
      <h2>Memberships</h2>
      <p>
        Rows from <strong>entra</strong> are written at sign-in from the user's Entra ID groups: one removed here returns at their next sign-in while Entra ID
        still has them in the group.
      </p>
      <MembershipTable rows={members as unknown as MembershipRow[]} token={token} />
      <h2>Admins</h2>
      <PostForm action={USERS_PATH} token={token} label="Make admin">
        <input type="hidden" name="action" value="set-admin" />
        <label>
          Email <input name="email" type="email" required autocomplete="off" />
        </label>
        <button type="submit">Make admin</button>
      </PostForm>
      <AdminTable rows={(adminRows as unknown as AdminRow[]).filter((row) => row.is_admin)} token={token} />
    </Layout>
  );
}

function MembershipTable({ rows, token }: { rows: MembershipRow[]; token: string }) {
  return (
    <Table headers={["User", "Group", "Source", "Change"]}>
      {rows.map((row) => (
        <tr>
          <td data-label="User">
            <a href={`/portal/access?email=${encodeURIComponent(row.user_email)}`}>{row.user_email}</a>
          </td>
          <td data-label="Group">{row.group_name}</td>
          <td data-label="Source">{row.source}</td>
          <td>
            <RowAction
              path={USERS_PATH}
              token={token}
              fields={{ action: "remove-member", email: row.user_email, group: row.group_name }}
              button="Remove"
              label={`Remove ${row.user_email} from ${row.group_name}`}
            />
          </td>
        </tr>
      ))}
    </Table>
  );
}

function AdminTable({ rows, token }: { rows: AdminRow[]; token: string }) {
  return (
    <Table headers={["Admin", "Change"]}>
      {rows.map((row) => (
        <tr>
          <td data-label="Admin">{row.user_email}</td>
          <td>
            <RowAction
              path={USERS_PATH}
              token={token}
              fields={{ action: "unset-admin", email: row.user_email }}
              button="Unset admin"
              label={`Unset admin ${row.user_email}`}
            />
          </td>
        </tr>
      ))}
    </Table>
  );
}
