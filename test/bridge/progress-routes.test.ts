// The bridge's routing of progress reports over a shared stdio pipe.
import { describe, expect, it } from "vitest";
import { ProgressRoutes } from "../../bridges/stdio/progress-routes.ts";

const report = (progressToken: string | number, progress: number) => ({ method: "notifications/progress" as const, params: { progressToken, progress } });

describe("ProgressRoutes", () => {
  it("gives each call a token of its own, so two callers' equal tokens never cross", async () => {
    const routes = new ProgressRoutes();
    const seen: Record<string, number[]> = { a: [], b: [] };
    const sent: unknown[] = [];
    const call = (who: "a" | "b") =>
      routes.around(
        { name: "t", _meta: { progressToken: 1, other: who } },
        (p) => seen[who]!.push(p.progress),
        async (params) => {
          sent.push(params);
          return (params!._meta as { progressToken: string }).progressToken;
        },
      );
    const [a, b] = await Promise.all([call("a"), call("b")]);
    expect(a).not.toBe(b);
    expect(sent).toEqual([
      { name: "t", _meta: { progressToken: a, other: "a" } },
      { name: "t", _meta: { progressToken: b, other: "b" } },
    ]);
  });

  it("delivers a report that arrives in the same turn as the answer, and none after the call has settled", async () => {
    const routes = new ProgressRoutes();
    const seen: number[] = [];
    let token = "";
    await routes.around(
      undefined,
      (p) => seen.push(p.progress),
      (params) => {
        token = (params!._meta as { progressToken: string }).progressToken;
        // As the SDK does: the report's handler is queued as a microtask, then the answer resolves.
        Promise.resolve().then(() => routes.deliver(report(token, 1)));
        return Promise.resolve("answer");
      },
    );
    routes.deliver(report(token, 2));
    expect(seen).toEqual([1]);
  });

  it("sends params untouched when no progress is asked for", async () => {
    const routes = new ProgressRoutes();
    expect(await routes.around(undefined, undefined, async (params) => params)).toBeUndefined();
    expect(await routes.around({ a: 1 }, undefined, async (params) => params)).toEqual({ a: 1 });
  });
});
