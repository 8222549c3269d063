// The audit trail's clean-up: rows older than AUDIT_RETENTION_DAYS go, once at start-up (once the
// schema is ready) and then every day. The bridge does it, not the worker: it is the long-lived
// process, and a single one (the worker may run as many isolates).
import { log } from "../log.ts";
import type { Database } from "./database.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;

const DELETE_OLD_ROWS = "DELETE FROM tool_call_audit WHERE at < now() - make_interval(days => $1::int)";

/** Starts the clean-up (none with `days` 0); the returned function stops it. */
export function keepAuditFor(db: Database, days: number, everyMs = DAY_MS): () => void {
  if (days === 0) return () => {};
  const cleanUp = async () => {
    try {
      const { rowCount } = await db.query(DELETE_OLD_ROWS, [String(days)]);
      if (rowCount) log.info(`audit trail: deleted ${rowCount} row(s) older than ${days} day(s)`);
    } catch (error) {
      log.warn(`audit trail clean-up failed (${(error as Error).message}); next in ${Math.round(everyMs / 60_000)} min`);
    }
  };
  void cleanUp();
  const timer = setInterval(cleanUp, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
