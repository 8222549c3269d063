// ENTRA_GROUP_MAP: which Entra ID groups (by object id) count here, and under which name. The map is
// the allowlist: a group that is not in it is never forwarded nor written to the database.

/** Entra group object id (lower case) → the group name the proxy's group_tenant_mapping uses. */
export type GroupMap = ReadonlyMap<string, string>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The proxy's group names: 1–128 characters (0001_permissions.sql), none that would split a header list. */
const GROUP_NAME = /^[^\s,=;"\\\p{Cc}]{1,128}$/u;

/** Parses `<guid>=<name>,…`; throws a message naming the bad entry. */
export function parseGroupMap(text: string): GroupMap {
  const map = new Map<string, string>();
  for (const entry of text.split(",").map((item) => item.trim())) {
    if (entry === "") continue;
    const [id = "", name = "", ...rest] = entry.split("=").map((part) => part.trim());
    if (rest.length > 0 || !GUID.test(id.toLowerCase()) || !GROUP_NAME.test(name)) {
      throw new Error(`has an entry that is not <group object id>=<group name>: ${JSON.stringify(entry)}`);
    }
    if (map.has(id.toLowerCase())) throw new Error(`maps the group ${id} twice`);
    map.set(id.toLowerCase(), name);
  }
  return map;
}

/** The mapped names of the groups the token lists, sorted, each once; unmapped ids are dropped. */
export function mappedGroups(map: GroupMap, groupIds: readonly unknown[]): string[] {
  const names = groupIds.flatMap((id) => (typeof id === "string" && map.has(id.toLowerCase()) ? [map.get(id.toLowerCase())!] : []));
  return [...new Set(names)].sort();
}
