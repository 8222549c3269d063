// The audit rows waiting to be written, in module scope so that a later request's flush writes what
// an earlier one could not (the database away). Plain values only: workerd forbids sharing I/O
// objects between requests. Bounded: past `max` the oldest are dropped, and counted.
export interface AuditRow {
  at: string;
  face: string;
  caller: string;
  server: string;
  tool: string;
  status: number;
  outcome: string;
  errorCode: string | null;
  durationMs: number;
  requestId: string;
  /** JSON text, or null when not stored. */
  arguments: string | null;
  result: string | null;
}

const waiting: AuditRow[] = [];
let dropped = 0;

export function addRow(row: AuditRow, max: number): void {
  waiting.push(row);
  dropOldest(max);
}

/** Takes the oldest rows to write: up to `count` of them, and of `maxPayloadChars` stored arguments and results (but at least one row). */
export function takeRows(count: number, maxPayloadChars: number): AuditRow[] {
  let taken = 0;
  let chars = 0;
  for (const row of waiting.slice(0, count)) {
    chars += (row.arguments?.length ?? 0) + (row.result?.length ?? 0);
    if (taken > 0 && chars > maxPayloadChars) break;
    taken += 1;
  }
  return waiting.splice(0, taken);
}

/** Rows that could not be written go back in front, still within `max`. */
export function putBack(rows: AuditRow[], max: number): void {
  waiting.unshift(...rows);
  dropOldest(max);
}

export function waitingRows(): number {
  return waiting.length;
}

/** How many rows were dropped, unwritten, since the isolate started. */
export function auditRecordsDropped(): number {
  return dropped;
}

function dropOldest(max: number): void {
  const excess = waiting.length - max;
  if (excess <= 0) return;
  waiting.splice(0, excess);
  dropped += excess;
}
