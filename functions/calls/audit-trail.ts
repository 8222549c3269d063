// The audit trail: one row in tool_call_audit per call, written after the answer (waitUntil), in
// batches from the module-scope buffer. A flush that fails leaves its rows for the next one; the
// call itself never waits for, or fails because of, the audit.
import { sqlFor } from "../db.ts";
import type { Env } from "../env.ts";
import { log, redact } from "../log.ts";
import type { WorkerSettings } from "../settings.ts";
import { type AuditRow, addRow, auditRecordsDropped, putBack, takeRows, waitingRows } from "./audit-buffer.ts";
import type { CallRecord } from "./call-record.ts";
import { redactFields } from "./redact-fields.ts";

export interface AuditContext {
  env: Env;
  waitUntil(promise: Promise<unknown>): void;
}

/** What a call carried, stored only with AUDIT_ARGUMENTS=true. */
export interface CallPayload {
  arguments?: unknown;
  result?: unknown;
}

type AuditSettings = Pick<WorkerSettings, "AUDIT_ARGUMENTS" | "AUDIT_REDACT_FIELDS" | "AUDIT_BUFFER_MAX">;

const BATCH_ROWS = 500;
/**
 * Stored arguments and results per batch. Sent as array literals inside the driver's JSON, a stored
 * quote or backslash takes four bytes, and the bridge takes 1 MiB a query: a batch stays under it.
 */
const BATCH_PAYLOAD_CHARS = 160 * 1024;
/** A flush waits this long first, so that the calls of that time share its INSERT (a round trip per call cost ~17 % of throughput). */
const GATHER_MS = 250;
const FLUSH_TIMEOUT_MS = 5_000;
/** A flush older than this is taken for lost (its request's waitUntil was cut short). */
const STALE_FLUSH_MS = 3 * FLUSH_TIMEOUT_MS;
/** A stored argument or result larger than this is replaced by its size. */
const MAX_STORED_CHARS = 64 * 1024;

const INSERT_SQL = `INSERT INTO tool_call_audit (at, face, caller, server, tool, status, outcome, error_code, duration_ms, request_id, arguments, result)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::int[], $10::text[], $11::jsonb[], $12::jsonb[])`;

/** Plain values shared by the isolate's requests: when the running flush last began a round (0: none), and whether the last write failed. */
let flushBeat = 0;
let failing = false;

export function auditCall(context: AuditContext, settings: AuditSettings, record: CallRecord, payload: CallPayload): void {
  addRow(rowOf(record, settings.AUDIT_ARGUMENTS ? payload : {}, settings.AUDIT_REDACT_FIELDS), settings.AUDIT_BUFFER_MAX);
  if (flushBeat !== 0 && Date.now() - flushBeat < STALE_FLUSH_MS) return; // the running flush takes this row too
  context.waitUntil(flush(context.env, settings.AUDIT_BUFFER_MAX));
}

/**
 * Rounds of: gather for GATHER_MS, then write everything waiting. Under steady load one flush keeps
 * going, each round one INSERT of the calls of that time; it ends when nothing waits, or when the
 * database fails (the next call's flush tries again).
 */
async function flush(env: Env, max: number): Promise<void> {
  try {
    do {
      flushBeat = Date.now();
      await new Promise((done) => setTimeout(done, GATHER_MS));
      if (!(await writeWaiting(env, max))) return;
    } while (waitingRows() > 0);
  } finally {
    flushBeat = 0;
  }
}

/** Writes the rows waiting now (not those that come meanwhile) in batches; false if the database failed (those rows went back). */
async function writeWaiting(env: Env, max: number): Promise<boolean> {
  for (let left = waitingRows(); left > 0; ) {
    const rows = takeRows(Math.min(left, BATCH_ROWS), BATCH_PAYLOAD_CHARS);
    if (rows.length === 0) break; // dropped meanwhile (AUDIT_BUFFER_MAX)
    left -= rows.length;
    try {
      await sqlFor(env, FLUSH_TIMEOUT_MS).query(INSERT_SQL, columnsOf(rows));
    } catch (error) {
      putBack(rows, max);
      if (!failing) log("warn", { event: "audit_write_failed", waiting: waitingRows(), cause: redact(error instanceof Error ? error.message : String(error)) });
      failing = true;
      return false;
    }
    if (failing) log("info", { event: "audit_write_resumed", waiting: waitingRows(), dropped: auditRecordsDropped() });
    failing = false;
  }
  return true;
}

function rowOf(record: CallRecord, payload: CallPayload, redactedFields: ReadonlySet<string>): AuditRow {
  return {
    at: record.startedAt.toISOString(),
    face: record.face,
    caller: record.caller,
    server: record.server,
    tool: record.tool,
    status: record.status,
    outcome: record.outcome,
    errorCode: record.errorCode ?? null,
    durationMs: record.durationMs,
    requestId: record.requestId,
    arguments: stored(payload.arguments, redactedFields),
    result: stored(payload.result, redactedFields),
  };
}

function stored(value: unknown, redactedFields: ReadonlySet<string>): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(redactFields(value, redactedFields));
  return text.length <= MAX_STORED_CHARS ? text : JSON.stringify({ truncated: true, chars: text.length });
}

/** One array per column, for unnest: the batch is a single statement. */
function columnsOf(rows: AuditRow[]): unknown[][] {
  const keys: (keyof AuditRow)[] = [
    "at",
    "face",
    "caller",
    "server",
    "tool",
    "status",
    "outcome",
    "errorCode",
    "durationMs",
    "requestId",
    "arguments",
    "result",
  ];
  return keys.map((key) => rows.map((row) => row[key]));
}
