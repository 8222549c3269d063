// The one rule every cache in the worker follows: it lives in the isolate, holds at most
// `maxEntries` (the least recently used goes first), and keeps when each entry was stored so the
// caller decides by age what is fresh. Values are plain data: workerd forbids sharing I/O objects
// or promises between requests.

export interface Cached<V> {
  value: V;
  ageMs: number;
}

export class IsolateCache<K, V> {
  readonly #entries = new Map<K, { value: V; storedAt: number }>();

  constructor(readonly maxEntries: number) {}

  /** The entry whatever its age (for serving a stale value while refreshing, or on failure). */
  get(key: K): Cached<V> | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { value: entry.value, ageMs: Date.now() - entry.storedAt };
  }

  /** The value if it was stored less than `ttlMs` ago. */
  fresh(key: K, ttlMs: number): V | undefined {
    const hit = this.get(key);
    return hit && hit.ageMs < ttlMs ? hit.value : undefined;
  }

  set(key: K, value: V): V {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, { value, storedAt: Date.now() });
    return value;
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
