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
