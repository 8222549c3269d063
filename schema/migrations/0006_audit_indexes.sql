-- The audit table's indexes, fitted to what reads it: the admin page pages newest first by id
-- (functions/portal/audit-query.ts), so the user and tool filters index (…, id); failures are a
-- small share of rows, so only they are indexed by status; the time filters and the daily clean-up
-- (DELETE … WHERE at < …) read a BRIN on `at`, which the append-only table keeps in order and which
-- costs almost nothing per insert. 0005's four btrees on `at` cost every tool call more than these.
DROP INDEX IF EXISTS tool_call_audit_at;
DROP INDEX IF EXISTS tool_call_audit_caller;
DROP INDEX IF EXISTS tool_call_audit_tool;
DROP INDEX IF EXISTS tool_call_audit_status;
CREATE INDEX IF NOT EXISTS tool_call_audit_at_brin ON tool_call_audit USING brin (at);
CREATE INDEX IF NOT EXISTS tool_call_audit_caller_id ON tool_call_audit (caller, id);
CREATE INDEX IF NOT EXISTS tool_call_audit_tool_id ON tool_call_audit (server, tool, id);
CREATE INDEX IF NOT EXISTS tool_call_audit_failures ON tool_call_audit (status, id) WHERE status <> 200;
