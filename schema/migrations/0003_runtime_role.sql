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
