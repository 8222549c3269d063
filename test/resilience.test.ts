// Failures upstream: a stdio server that crashes is restarted and reported, a call in flight gets a
// 502 naming it, and a server that never answers slows nothing down for long.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

let stack: TestStack;
let blackhole: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  // Accepts connections and never answers: the worst kind of upstream.
  const port = await freePort();
  blackhole = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((done) => blackhole.listen(port, "127.0.0.1", done));
  stack = await startTestStack(
    {
      mcpServers: {
        edge: edgeStdio(),
        steady: edgeStdio(),
        blackhole: { type: "streamable-http", url: `http://127.0.0.1:${port}/mcp` },
      },
    },
    { BRIDGE_BACKOFF_MS: "300", TOOLS_TTL_SECONDS: "1" },
  );
});

afterAll(async () => {
  await stack?.stop();
  for (const socket of sockets) socket.destroy();
  blackhole?.close();
});

const health = async () => (await stack.get("/health")).json() as Promise<any>;
/** Healthy: up, stopped until the first call, or starting once to record its tools. */
const ready = (check: { status: string }) => ["ok", "idle", "starting"].includes(check.status);

describe("a hanging remote server", () => {
  it("shows as down in /health, which still answers", async () => {
    await until(async () => ready((await health()).servers.edge), "edge to be known");
    const report = await health();
    expect(report.status).toBe("degraded");
    expect(report.servers.blackhole.status).toBe("down");
    expect(report.servers.blackhole.error).toContain("did not answer");
    expect(ready(report.servers.steady)).toBe(true);
  });

  it("is left out of /openapi.json and marked in /servers, without hiding the others", async () => {
    const doc = await (await stack.get("/openapi.json")).json();
    expect(Object.keys(doc.paths)).toContain("/edge/echo");
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/blackhole/"))).toBe(false);
    const { servers } = await (await stack.get("/servers")).json();
    expect(servers.find((s: any) => s.name === "blackhole")).toMatchObject({ status: "error", toolCount: null, error: expect.stringContaining("blackhole") });
  });

  it("fails a call with 504 naming the server", async () => {
    const response = await stack.post("/blackhole/anything", {});
    expect(response.status).toBe(504);
    expect((await response.json()).error.message).toContain("'blackhole'");
  });
});

describe("a crashing stdio server", () => {
  it("fails the calls in flight with 502 naming the server, is restarted, and serves again", async () => {
    await until(async () => ready((await health()).servers.edge), "edge to be known");
    const pidBefore = (await (await stack.post("/edge/stats", {})).json()).pid;

    const inFlight = stack.post("/edge/hang", {});
    const crash = await stack.post("/edge/crash", {});
    expect(crash.status).toBe(502);
    const crashError = (await crash.json()).error;
    expect(crashError.message).toContain("'edge'");
    expect(crashError.message).toContain("exited");
    const hung = await inFlight;
    expect(hung.status).toBe(502);
    expect((await hung.json()).error.message).toContain("'edge'");

    // The other stdio server is untouched.
    expect(await (await stack.post("/steady/echo", { message: "fine" })).text()).toBe("fine");

    await until(async () => (await health()).servers.edge.status === "ok", "edge to be restarted");
    expect((await health()).servers.edge.restarts).toBe(1);
    const after = await stack.post("/edge/stats", {});
    expect(after.status).toBe(200);
    expect((await after.json()).pid).not.toBe(pidBefore);
  });

  it("reports restarts and the last error in the bridge's status", async () => {
    const status = await (await fetch(`${stack.bridgeUrl}/status`, { headers: { authorization: `Bearer ${stack.bridgeToken}` } })).json();
    expect(status.servers.edge).toMatchObject({ state: "running", restarts: 1, lastError: expect.any(String) });
    expect(status.servers.steady).toMatchObject({ state: "running", restarts: 0 });
  });

  it("serves a call that comes while the server waits to restart, once it is back", async () => {
    // The crashing call itself was in flight: 502. The next one waits for the restart instead of a 503.
    expect((await stack.post("/edge/crash", {})).status).toBe(502);
    const response = await stack.post("/edge/echo", { message: "right after" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("right after");
    expect(await (await stack.post("/edge/echo", { message: "back" })).text()).toBe("back");
  });
});

describe("tool lists", () => {
  it("are served from the cache, and refreshed in the background once stale", async () => {
    const listed = async () => (await (await stack.post("/steady/stats", {})).json()).toolsList as number;
    await stack.get("/steady/openapi.json");
    const before = await listed();
    for (let i = 0; i < 3; i += 1) await stack.get("/steady/openapi.json");
    await stack.post("/steady/echo", { message: "cached" });
    expect(await listed()).toBe(before);

    await new Promise((done) => setTimeout(done, 1_200)); // past TOOLS_TTL_SECONDS
    expect((await stack.get("/steady/openapi.json")).status).toBe(200);
    await until(async () => (await listed()) > before, "a background refresh");
  });
});
