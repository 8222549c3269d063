// The operator's log of a failure: one JSON line with the cause chain, redacted.
import { afterEach, expect, it, vi } from "vitest";
import { ProxyError } from "../../functions/errors.ts";
import { logFailure } from "../../functions/log.ts";

afterEach(() => vi.restoreAllMocks());

it("logs each cause with its name, message and stack, without credentials or query strings in URLs", () => {
  const logged = vi.spyOn(console, "warn").mockImplementation(() => {});
  const driver = new Error("connect ECONNREFUSED postgres://app:hunter2@db.internal:5432/app");
  const fetchFailed = new TypeError("fetch failed for http://bridge:8788/sql?token=s3cret", { cause: driver });
  const error = new ProxyError(503, "database_unavailable", "The permissions database is unavailable", {}, { cause: fetchFailed });
  logFailure(error.code, "GET /admin/memberships", error);
  expect(logged).toHaveBeenCalledTimes(1);
  const line = String(logged.mock.calls[0]![0]);
  expect(line).not.toContain("\n");
  const entry = JSON.parse(line);
  expect(entry).toMatchObject({ level: "error", event: "database_unavailable", what: "GET /admin/memberships" });
  expect(entry.causes.map((cause: { name: string; message: string }) => [cause.name, cause.message])).toEqual([
    ["ProxyError", "The permissions database is unavailable"],
    ["TypeError", "fetch failed for http://bridge:8788/sql?…"],
    ["Error", "connect ECONNREFUSED postgres://…@db.internal:5432/app"],
  ]);
  expect(entry.causes[2].stack.length).toBeGreaterThan(0);
  expect(line).not.toMatch(/hunter2|s3cret/);
});
