// Servers nothing is known about are started a few at a time to learn their tools, whether the
// bridge does it at start-up or a spec request asks for their tools; /status says which are known.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const SERVERS = 8;
const DISCOVERY_CONCURRENCY = 2; // bridges/stdio/registry.ts
let stack: TestStack;

beforeAll(async () => {
  // Slow to start, so that starts overlap and a spec request comes while most are still unknown.
  const slow = () => edgeStdio({ env: { STARTUP_DELAY_MS: "2500" } });
  stack = await startTestStack({ mcpServers: Object.fromEntries(Array.from({ length: SERVERS }, (_, i) => [`slow${i}`, slow()])) });
});
afterAll(async () => {
  await stack?.stop();
});

const bridgeStatus = async () =>
  (await (await fetch(`${stack.bridgeUrl}/status`, { headers: { authorization: `Bearer ${stack.bridgeToken}` } })).json()).servers as Record<string, any>;

describe("discovering unknown servers", () => {
  it("starts at most a few at once, even when a spec request asks for all their tools", async () => {
    const first = await bridgeStatus();
    expect(Object.values(first).every((s) => typeof s.known === "boolean")).toBe(true);
    expect(Object.values(first).some((s) => s.known === false)).toBe(true);

    const spec = stack.get("/openapi.json").then((r) => r.status);
    let most = 0;
    let unknownIdleSeen = false;
    await until(
      async () => {
        const servers = Object.values(await bridgeStatus());
        most = Math.max(most, servers.filter((s) => s.state === "starting" || s.state === "running").length);
        unknownIdleSeen ||= servers.some((s) => s.state === "idle" && s.known === false);
        return servers.every((s) => s.known === true);
      },
      "every server to be known",
      120_000,
    );
    expect(await spec).toBe(200);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(DISCOVERY_CONCURRENCY);
    expect(unknownIdleSeen).toBe(true);

    // Once known, the spec lists them all (once the worker asks again) without starting any.
    const listsAll = async () => {
      const paths = Object.keys((await (await stack.get("/openapi.json")).json()).paths);
      return Array.from({ length: SERVERS }, (_, i) => `/slow${i}/echo`).every((path) => paths.includes(path));
    };
    await until(listsAll, "the spec to list every server's tools", 45_000);
    await until(async () => Object.values(await bridgeStatus()).every((s) => s.state === "idle"), "every server to be stopped again");
  }, 150_000);
});
