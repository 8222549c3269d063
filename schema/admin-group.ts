// The group whose members are admins unless ADMIN_GROUP says otherwise: read by the worker (who
// is an admin), the bridge (ADMIN_EMAIL joins it) and the auth service (who signs in to Open WebUI
// as an admin). schema/migrations/0002_default_groups.sql maps it to every server.
import { type Setting, text } from "./settings.ts";

export const DEFAULT_ADMIN_GROUP = "mcp-admins";

/** One declaration for every side's list, so their tables cannot disagree. */
export const ADMIN_GROUP = {
  type: text(),
  default: DEFAULT_ADMIN_GROUP,
  doc: "the group whose members are admins: of the proxy (`ADMIN_EMAIL` joins it), and of Open WebUI when the auth service signs them in (`X-User-Role: admin`); with sign-in, a name from `ENTRA_GROUP_MAP`",
} satisfies Setting<string>;
