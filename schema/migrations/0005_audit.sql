-- The audit trail: one row per tool call on either face, written by the worker in batches
-- (functions/calls/audit-trail.ts) and deleted past AUDIT_RETENTION_DAYS by the bridge
-- (bridges/sql/audit-retention.ts), both as the runtime role. `caller` is the user's permission key
-- (their email), "operator" or "key-holder". `arguments` and `result` stay NULL unless
-- AUDIT_ARGUMENTS=true. The indexes serve an admin page's filters: newest first, by user, by tool,
-- by status.
CREATE TABLE IF NOT EXISTS tool_call_audit (
  id           bigserial   PRIMARY KEY,
  at           timestamptz NOT NULL,
  face         text        NOT NULL CHECK (face IN ('openapi', 'mcp')),
  caller       text        NOT NULL,
  server       text        NOT NULL,
  tool         text        NOT NULL,
  status       int         NOT NULL,
  outcome      text        NOT NULL CHECK (outcome IN ('ok', 'tool_error', 'error')),
  error_code   text,
  duration_ms  int         NOT NULL,
  request_id   text        NOT NULL,
  arguments    jsonb,
  result       jsonb
);
CREATE INDEX IF NOT EXISTS tool_call_audit_at ON tool_call_audit (at DESC);
CREATE INDEX IF NOT EXISTS tool_call_audit_caller ON tool_call_audit (caller, at DESC);
CREATE INDEX IF NOT EXISTS tool_call_audit_tool ON tool_call_audit (server, tool, at DESC);
CREATE INDEX IF NOT EXISTS tool_call_audit_status ON tool_call_audit (status, at DESC);
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'mcp_proxy_runtime') THEN
    GRANT SELECT, INSERT, DELETE ON tool_call_audit TO mcp_proxy_runtime;
    GRANT USAGE ON SEQUENCE tool_call_audit_id_seq TO mcp_proxy_runtime;
  END IF;
END $$;
