// The worker's one cache rule: bounded, least recently used out first, freshness decided by age.
import { afterEach, expect, it, vi } from "vitest";
import { IsolateCache } from "../../functions/cache.ts";

afterEach(() => vi.useRealTimers());

it("evicts the least recently used entry once full, not the oldest stored", () => {
  const cache = new IsolateCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  expect(cache.get("a")?.value).toBe(1); // a is now the most recently used
  cache.set("c", 3);
  expect([cache.get("a")?.value, cache.get("b"), cache.get("c")?.value]).toEqual([1, undefined, 3]);
  expect(cache.size).toBe(2);
});

it("replaces an entry without evicting another", () => {
  const cache = new IsolateCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  cache.set("a", 10);
  expect([cache.get("a")?.value, cache.get("b")?.value]).toEqual([10, 2]);
});

it("tells the age of an entry, and serves it as fresh only within the time to live", () => {
  vi.useFakeTimers({ now: 1_000_000 });
  const cache = new IsolateCache<string, string>(10);
  cache.set("k", "v");
  vi.advanceTimersByTime(999);
  expect(cache.fresh("k", 1_000)).toBe("v");
  vi.advanceTimersByTime(1);
  expect(cache.fresh("k", 1_000)).toBeUndefined();
  expect(cache.get("k")).toEqual({ value: "v", ageMs: 1_000 }); // still there for a stale answer
  cache.set("k", "w");
  expect(cache.fresh("k", 1_000)).toBe("w");
});

it("forgets on delete and clear", () => {
  const cache = new IsolateCache<string, number>(3);
  cache.set("a", 1);
  cache.set("b", 2);
  cache.delete("a");
  expect(cache.get("a")).toBeUndefined();
  cache.clear();
  expect(cache.size).toBe(0);
});
