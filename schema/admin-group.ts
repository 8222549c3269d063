// The group whose members are admins unless ADMIN_GROUP says otherwise: read by the worker (who
// is an admin) and the bridge (ADMIN_EMAIL joins it). schema/migrations/0002_default_groups.sql
// maps it to every server.
export const DEFAULT_ADMIN_GROUP = "mcp-admins";
