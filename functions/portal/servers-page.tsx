// /portal: every catalog server, enabled or why not, its tools and the bridge's state of it.
import type { StdioServerStatus } from "../../schema/bridge-status.ts";
import { bridgeStatus } from "../bridge.ts";
import type { RequestScope } from "../routes/context.ts";
import { type ServerRow, serverRows } from "../routes/servers.ts";
import { Layout, Table } from "./layout.tsx";

const STATUS_TIMEOUT_MS = 2_000;

export async function serversPage(scope: RequestScope, notice?: string) {
  const [rows, processes] = await Promise.all([
    serverRows(scope),
    bridgeStatus(scope.env, STATUS_TIMEOUT_MS).then(
      (status) => status.servers,
      () => undefined,
    ),
  ]);
  return (
    <Layout title="Servers" notice={notice}>
      {processes === undefined ? <p class="problem">The bridge's status is unavailable.</p> : null}
      <Table headers={["Server", "Transport", "Enabled", "Tools", "Process"]}>
        {rows.map((row) => (
          <ServerLine row={row} process={processes?.[row.name]} />
        ))}
      </Table>
    </Layout>
  );
}

function ServerLine({ row, process }: { row: ServerRow; process: StdioServerStatus | undefined }) {
  return (
    <tr>
      <th scope="row" data-label="Server">
        {row.name}
      </th>
      <td data-label="Transport">{row.transport}</td>
      <td data-label="Enabled">{row.enabled ? "yes" : `no: ${row.disabledReason ?? ""}`}</td>
      <td data-label="Tools">{row.toolCount ?? `— (${row.status}${row.error ? `: ${row.error}` : ""})`}</td>
      <td data-label="Process">{process ? describeProcess(process) : "—"}</td>
    </tr>
  );
}

function describeProcess(process: StdioServerStatus): string {
  const parts = [process.state, `${process.restarts} restart(s)`];
  if (process.lastError) parts.push(`last error: ${process.lastError}`);
  return parts.join(", ");
}
