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
/** A gathering flush older than this is taken for lost (its request's waitUntil was cut short). */
const STALE_GATHER_MS = 20 * GATHER_MS;
/** A stored argument or result larger than this is replaced by its size. */
const MAX_STORED_CHARS = 64 * 1024;

const INSERT_SQL = `INSERT INTO tool_call_audit (at, face, caller, server, tool, status, outcome, error_code, duration_ms, request_id, arguments, result)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::int[], $10::text[], $11::jsonb[], $12::jsonb[])`;

/** Plain values shared by the isolate's requests: when the gathering flush began (0: none), and whether the last write failed. */
let gatheringSince = 0;
let failing = false;

/**
 * Adds the call's row. The first call while no flush gathers starts one, in its own request's
 * waitUntil: it gathers for GATHER_MS, then writes everything waiting. Calls meanwhile only add
 * their rows; a call after the gathering ended starts the next flush. So under steady load there
 * is about one INSERT a quarter second, and no flush outlives its request by more than one write
 * (a flush kept going for minutes held one request open all that time, and cost the worker more).
 */
export function auditCall(context: AuditContext, settings: AuditSettings, record: CallRecord, payload: CallPayload): void {
  addRow(rowOf(record, settings.AUDIT_ARGUMENTS ? payload : {}, settings.AUDIT_REDACT_FIELDS), settings.AUDIT_BUFFER_MAX);
  if (gatheringSince !== 0 && Date.now() - gatheringSince < STALE_GATHER_MS) return; // the gathering flush takes this row
  context.waitUntil(flush(context.env, settings.AUDIT_BUFFER_MAX));
}

async function flush(env: Env, max: number): Promise<void> {
  gatheringSince = Date.now();
  await new Promise((done) => setTimeout(done, GATHER_MS));
  gatheringSince = 0;
  await writeWaiting(env, max);
}

/** Writes the rows waiting now (the next flush takes those that come meanwhile) in batches; stops when the database fails, those rows back in the buffer. */
async function writeWaiting(env: Env, max: number): Promise<void> {
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
      return;
    }
    if (failing) log("info", { event: "audit_write_resumed", waiting: waitingRows(), dropped: auditRecordsDropped() });
    failing = false;
  }
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
