// /portal/audit: who called what (tool_call_audit), filtered by GET parameters, 50 a page.
import type { Env } from "../env.ts";
import { type AuditFilters, type AuditEntry, auditPage as loadPage, filtersFrom } from "./audit-query.ts";
import { Layout, Table } from "./layout.tsx";

export const AUDIT_PATH = "/portal/audit";

const FIELDS = [
  { name: "user", label: "User", type: "text" },
  { name: "server", label: "Server", type: "text" },
  { name: "tool", label: "Tool", type: "text" },
  { name: "status", label: "HTTP status", type: "number" },
  { name: "from", label: "From (UTC)", type: "datetime-local" },
  { name: "to", label: "To (UTC)", type: "datetime-local" },
] as const;

export async function auditPage(env: Env, query: Record<string, string>) {
  const filters = filtersFrom(query);
  const { rows, more } = await loadPage(env, filters);
  return (
    <Layout title="Audit trail">
      <form method="get" action={AUDIT_PATH} aria-label="Filter the audit trail">
        {FIELDS.map((field) => (
          <label>
            {field.label} <input name={field.name} type={field.type} value={String(filters[field.name] ?? "")} />
          </label>
        ))}
        <button type="submit">Filter</button> <a href={AUDIT_PATH}>Clear</a>
      </form>
      <AuditTable rows={rows} />
      {rows.length === 0 ? <p>No calls match.</p> : null}
      <nav aria-label="Pages">
        {filters.before !== undefined ? <a href={pageLink(filters, undefined)}>Newest</a> : null}{" "}
        {more ? <a href={pageLink(filters, Number(rows.at(-1)!.id))}>Older</a> : null}
      </nav>
    </Layout>
  );
}

/** The same filters, from the row before `before` (or the newest). */
function pageLink(filters: AuditFilters, before: number | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, before })) if (value !== undefined) params.set(name, String(value));
  return `${AUDIT_PATH}?${params}`;
}

function AuditTable({ rows }: { rows: AuditEntry[] }) {
  return (
    <Table headers={["When (UTC)", "User", "Server", "Tool", "Face", "Status", "ms", "Request id"]}>
      {rows.map((row) => (
        <tr>
          <td data-label="When">{row.at.toISOString().replace("T", " ").slice(0, 19)}</td>
          <td data-label="User">{row.caller}</td>
          <td data-label="Server">{row.server}</td>
          <td data-label="Tool">{row.tool}</td>
          <td data-label="Face">{row.face}</td>
          <td data-label="Status">
            {row.status} {row.errorCode ?? row.outcome}
          </td>
          <td data-label="ms">{row.durationMs}</td>
          <td data-label="Request id">{row.requestId}</td>
        </tr>
      ))}
    </Table>
  );
}
