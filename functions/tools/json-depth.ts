// How deeply a parsed JSON value nests, measured without recursion: a body nested 100,000 deep
// parses fine but overflows the stack of anything recursive that touches it later.

/** Whether `value` nests arrays and objects more than `limit` levels deep. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
