// operationIds Open WebUI can hand to a model as function names: ^[a-zA-Z0-9_-]{1,64}$, unique, stable.
const MAX_LENGTH = 64;

export function sanitizeName(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** A short stable hash (FNV-1a, base 36) to keep truncated or clashing names apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36).padStart(7, "0");
}

/**
 * Assigns an operationId to each (server, tool) pair. The same pairs always get the same ids:
 * pairs are taken in sorted order and only a truncated or clashing name gets a hash suffix.
 */
export function assignOperationIds(pairs: { server: string; tool: string }[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const sorted = [...pairs].sort((a, b) => (`${a.server}\0${a.tool}` < `${b.server}\0${b.tool}` ? -1 : 1));
  for (const { server, tool } of sorted) {
    const key = pairKey(server, tool);
    let id = sanitizeName(`${server}_${tool}`) || "tool";
    if (id.length > MAX_LENGTH || taken.has(id.toLowerCase())) {
      id = `${id.slice(0, MAX_LENGTH - 8)}_${shortHash(key)}`;
    }
    taken.add(id.toLowerCase());
    ids.set(key, id);
  }
  return ids;
}

export function pairKey(server: string, tool: string): string {
  return `${server}\0${tool}`;
}
