// /portal/groups: which group may use which server (group_tenant_mapping); grant and revoke.
import { listRows, mappings } from "../routes/admin.ts";
import type { RequestScope } from "../routes/context.ts";
import { PostForm, RowAction } from "./forms.tsx";
import { Layout, Table } from "./layout.tsx";

export const GROUPS_PATH = "/portal/groups";

interface MappingRow {
  group_name: string;
  tenant_id: string;
}

export async function groupsPage(scope: RequestScope, token: string, notice?: string) {
  const rows = (await listRows(scope.env, mappings)) as unknown as MappingRow[];
  const servers = ["*", ...scope.catalog.servers.map((server) => server.name)];
  return (
    <Layout title="Groups" notice={notice}>
      <h2>Grant a server to a group</h2>
      <PostForm action={GROUPS_PATH} token={token} label="Grant">
        <input type="hidden" name="action" value="grant" />
        <label>
          Group <input name="group" required maxlength={128} autocomplete="off" />
        </label>
        <label>
          Server{" "}
          <select name="server">
            {servers.map((name) => (
              <option value={name}>{name === "*" ? "* (every server)" : name}</option>
            ))}
          </select>
        </label>
        <button type="submit">Grant</button>
      </PostForm>
      <h2>Grants</h2>
      <Table headers={["Group", "Server", "Change"]}>
        {rows.map((row) => (
          <tr>
            <td data-label="Group">{row.group_name}</td>
            <td data-label="Server">{row.tenant_id}</td>
            <td>
              <RowAction
                path={GROUPS_PATH}
                token={token}
                fields={{ action: "revoke", group: row.group_name, server: row.tenant_id }}
                button="Revoke"
                label={`Revoke ${row.tenant_id} from ${row.group_name}`}
              />
            </td>
          </tr>
        ))}
      </Table>
    </Layout>
  );
}
