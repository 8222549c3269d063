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
