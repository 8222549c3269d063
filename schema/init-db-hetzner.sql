-- Generated from schema/migrations by `npm run schema:init`: edit the migrations, not this file.
-- PostgreSQL runs it once, on the first start of an empty data volume (/docker-entrypoint-initdb.d).

CREATE TABLE IF NOT EXISTS schema_migrations (
  version     text        PRIMARY KEY,
  file        text        NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now()
);

-- 0001_permissions.sql
-- Who may use which MCP servers. A "tenant" is a catalog server name (or '*' for all of them).
-- Emails are stored lower-case (checked below) so they match case-insensitively.

CREATE TABLE IF NOT EXISTS user_group_membership (
  user_email  text        NOT NULL,
  group_name  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_email, group_name),
  CONSTRAINT user_group_membership_email_lower CHECK (user_email = lower(user_email)),
  CONSTRAINT user_group_membership_email_length CHECK (length(user_email) BETWEEN 3 AND 320),
  CONSTRAINT user_group_membership_group_length CHECK (length(group_name) BETWEEN 1 AND 128)
);
CREATE INDEX IF NOT EXISTS user_group_membership_group_idx ON user_group_membership (group_name);

CREATE TABLE IF NOT EXISTS group_tenant_mapping (
  group_name  text        NOT NULL,
  tenant_id   text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_name, tenant_id),
  CONSTRAINT group_tenant_mapping_group_length CHECK (length(group_name) BETWEEN 1 AND 128),
  CONSTRAINT group_tenant_mapping_tenant_length CHECK (length(tenant_id) BETWEEN 1 AND 64)
);
CREATE INDEX IF NOT EXISTS group_tenant_mapping_tenant_idx ON group_tenant_mapping (tenant_id);

CREATE TABLE IF NOT EXISTS user_admin_status (
  user_email  text        PRIMARY KEY,
  is_admin    boolean     NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_admin_status_email_lower CHECK (user_email = lower(user_email)),
  CONSTRAINT user_admin_status_email_length CHECK (length(user_email) BETWEEN 3 AND 320)
);
INSERT INTO schema_migrations (version, file) VALUES ('0001', '0001_permissions.sql') ON CONFLICT DO NOTHING;

-- 0002_default_groups.sql
-- Default groups: an admin group that may use every server, and one group per common server.
-- Grant a user a server by adding them to its group (see docs/permissions.md).

INSERT INTO group_tenant_mapping (group_name, tenant_id) VALUES
  ('mcp-admins', '*'),
  ('filesystem-users', 'filesystem'),
  ('memory-users', 'memory'),
  ('github-users', 'github'),
  ('fetch-users', 'fetch'),
  ('brave-search-users', 'brave-search'),
  ('context7-users', 'context7'),
  ('deepwiki-users', 'deepwiki')
ON CONFLICT DO NOTHING;
INSERT INTO schema_migrations (version, file) VALUES ('0002', '0002_default_groups.sql') ON CONFLICT DO NOTHING;

-- 0003_runtime_role.sql
-- The proxy's runtime privileges, held by the NOLOGIN role mcp_proxy_runtime: exactly what the
-- worker's queries need (the permission lookup, the /admin routes), no DDL, no other table. The
-- bridge's DATABASE_URL logs in as a member of it (the bridge creates that login role from
-- DATABASE_OWNER_URL at start-up, bridges/sql/runtime-role.ts); migrations run as the owner.
-- Roles belong to the whole server: another database's migration may have made it already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mcp_proxy_runtime') THEN
    BEGIN
      CREATE ROLE mcp_proxy_runtime NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE WARNING 'mcp-proxy: % (no CREATEROLE); the proxy keeps running as its DATABASE_URL role', SQLERRM;
        RETURN;
    END;
  END IF;
  GRANT SELECT, INSERT, DELETE ON user_group_membership, group_tenant_mapping TO mcp_proxy_runtime;
  GRANT SELECT, INSERT, UPDATE ON user_admin_status TO mcp_proxy_runtime;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO mcp_proxy_runtime', current_database());
  -- Nobody but the owner creates objects here (PostgreSQL < 15 lets everyone create in public).
  BEGIN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'mcp-proxy: % (the owner of the database or of schema public can revoke it)', SQLERRM;
  END;
END $$;
INSERT INTO schema_migrations (version, file) VALUES ('0003', '0003_runtime_role.sql') ON CONFLICT DO NOTHING;

-- 0004_membership_source.sql
-- Where a membership comes from: 'manual' (an admin, ADMIN_EMAIL, the /admin routes) or 'entra'
-- (the auth service, which at each sign-in replaces that user's 'entra' rows with the groups Entra
-- ID sent, and leaves 'manual' rows alone: functions/auth-service/group-sync.ts). The runtime role's
-- SELECT, INSERT and DELETE (0003) cover the new column: the sync never updates a row.
ALTER TABLE user_group_membership ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'manual';
DO $$
BEGIN
  ALTER TABLE user_group_membership ADD CONSTRAINT user_group_membership_source CHECK (source IN ('manual', 'entra'));
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
INSERT INTO schema_migrations (version, file) VALUES ('0004', '0004_membership_source.sql') ON CONFLICT DO NOTHING;

-- 0005_audit.sql
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
INSERT INTO schema_migrations (version, file) VALUES ('0005', '0005_audit.sql') ON CONFLICT DO NOTHING;

-- 0006_audit_indexes.sql
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
INSERT INTO schema_migrations (version, file) VALUES ('0006', '0006_audit_indexes.sql') ON CONFLICT DO NOTHING;
