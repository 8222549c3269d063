// What the audit keeps before it writes: sensitive fields redacted at any depth, and a bounded
// buffer that drops its oldest rows, and counts them, when the database stays away.
import { describe, expect, it } from "vitest";
import { type AuditRow, addRow, auditRecordsDropped, putBack, takeRows, waitingRows } from "../../functions/calls/audit-buffer.ts";
import { REDACTED, redactFields } from "../../functions/calls/redact-fields.ts";

describe("redactFields", () => {
  const fields = new Set(["password", "api_key", "authorization"]);

  it("replaces the named fields' values at any depth, whatever their case, and leaves the rest", () => {
    const args = { user: "a", Password: "p1", nested: { deeper: [{ API_KEY: { any: "shape" }, keep: 1 }], authorization: "Bearer x" }, list: ["password"] };
    expect(redactFields(args, fields)).toEqual({
      user: "a",
      Password: REDACTED,
      nested: { deeper: [{ API_KEY: REDACTED, keep: 1 }], authorization: REDACTED },
      list: ["password"],
    });
    expect(args.Password).toBe("p1"); // a copy: the call's own arguments are untouched
  });

  it("passes plain values through", () => {
    expect(redactFields("text", fields)).toBe("text");
    expect(redactFields(null, fields)).toBeNull();
    expect(redactFields([1, 2], fields)).toEqual([1, 2]);
  });
});

describe("the audit buffer", () => {
  const row = (requestId: string): AuditRow => ({
    at: "2026-12-06T10:00:00.000Z",
    face: "openapi",
    caller: "operator",
    server: "s",
    tool: "t",
    status: 200,
    outcome: "ok",
    errorCode: null,
    durationMs: 1,
    requestId,
    arguments: null,
    result: null,
  });

  it("keeps at most max rows, dropping the oldest and counting them, also when failed rows go back", () => {
    takeRows(waitingRows(), Infinity);
    const before = auditRecordsDropped();
    for (const id of ["1", "2", "3", "4"]) addRow(row(id), 3);
    expect(auditRecordsDropped() - before).toBe(1);
    const taken = takeRows(2, Infinity);
    expect(taken.map((r) => r.requestId)).toEqual(["2", "3"]);
    addRow(row("5"), 3);
    addRow(row("6"), 3);
    putBack(taken, 3); // the write failed: back in front, and the oldest beyond max go
    expect(auditRecordsDropped() - before).toBe(3);
    expect(takeRows(10, Infinity).map((r) => r.requestId)).toEqual(["4", "5", "6"]);
  });

  it("takes rows up to a budget of stored payload, but always at least one", () => {
    takeRows(waitingRows(), Infinity);
    const sized = (id: string, chars: number): AuditRow => ({ ...row(id), arguments: "x".repeat(chars / 2), result: "y".repeat(chars / 2) });
    for (const [id, chars] of [
      ["a", 600],
      ["b", 400],
      ["c", 200],
      ["d", 50],
    ] as const)
      addRow(sized(id, chars), 10);
    expect(takeRows(10, 500).map((r) => r.requestId)).toEqual(["a"]); // over the budget alone
    expect(takeRows(10, 600).map((r) => r.requestId)).toEqual(["b", "c"]);
    expect(takeRows(1, 600).map((r) => r.requestId)).toEqual(["d"]);
    expect(waitingRows()).toBe(0);
  });
});
