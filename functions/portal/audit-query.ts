// The audit page's query: filters from GET parameters, newest first, keyset paging on id.
import { sqlFor } from "../db.ts";
import type { Env } from "../env.ts";
import type { AuditRow } from "../calls/audit-buffer.ts";
import { runSql } from "../routes/admin.ts";

export const AUDIT_PAGE_SIZE = 50;
const QUERY_TIMEOUT_MS = 5_000;

export interface AuditFilters {
  user?: string;
  server?: string;
  tool?: string;
  status?: number;
  /** ISO 8601 or a datetime-local value. */
  from?: string;
  to?: string;
  /** Rows with a smaller id than this (the next page). */
  before?: number;
}

/** A row of tool_call_audit as the page reads it: the row the worker wrote (without the payload), with its id and time. */
export type AuditEntry = Omit<AuditRow, "at" | "arguments" | "result"> & { id: string; at: Date };

const TEXT_FILTERS = ["user", "server", "tool", "from", "to"] as const;

export function filtersFrom(query: Record<string, string>): AuditFilters {
  const filters: AuditFilters = {};
  for (const name of TEXT_FILTERS) {
    const value = query[name]?.trim();
    if (value) filters[name] = value.slice(0, 256);
  }
  for (const name of ["from", "to"] as const) if (asInstant(filters[name]) === undefined) delete filters[name];
  const status = Number(query.status);
  if (query.status && Number.isInteger(status)) filters.status = status;
  const before = Number(query.before);
  if (query.before && Number.isSafeInteger(before)) filters.before = before;
  return filters;
}

/** A datetime-local value (no zone) is UTC; an unreadable time is no filter. */
function asInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const utc = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value) ? `${value}Z` : value;
  return Number.isNaN(Date.parse(utc)) ? undefined : utc;
}

/** One page, and whether older rows remain. */
export async function auditPage(env: Env, filters: AuditFilters): Promise<{ rows: AuditEntry[]; more: boolean }> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    values.push(value);
    conditions.push(condition.replace("?", `$${values.length}`));
  };
  if (filters.user) add("caller = ?", filters.user);
  if (filters.server) add("server = ?", filters.server);
  if (filters.tool) add("tool = ?", filters.tool);
  if (filters.status !== undefined) add("status = ?", filters.status);
  if (filters.from) add("at >= ?::timestamptz", asInstant(filters.from));
  if (filters.to) add("at <= ?::timestamptz", asInstant(filters.to));
  if (filters.before !== undefined) add("id < ?", filters.before);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
  const text = `SELECT id::text, at, face, caller, server, tool, status, outcome, error_code AS "errorCode", duration_ms AS "durationMs", request_id AS "requestId" FROM tool_call_audit ${where} ORDER BY id DESC LIMIT ${AUDIT_PAGE_SIZE + 1}`;
  const rows = (await runSql(() => sqlFor(env, QUERY_TIMEOUT_MS).query(text, values))) as AuditEntry[];
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), more: rows.length > AUDIT_PAGE_SIZE };
}
