// The whole proxy as users run it: bridge + worker in workerd, in front of the npm reference
// servers (stdio) and the SDK-built edge server over stdio, Streamable HTTP and HTTP+SSE.
import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";
import { freePort, startEdgeServer, stopProcess } from "./helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { LONG_TOOL_NAME } from "./servers/edge-fixtures.ts";

let stack: TestStack;
let httpPort: number;
let sseEdge: ChildProcess;
let httpEdge: ChildProcess;

beforeAll(async () => {
  httpPort = await freePort();
  const ssePort = await freePort();
  [httpEdge, sseEdge] = await Promise.all([startEdgeServer("http", httpPort), startEdgeServer("sse", ssePort)]);
  stack = await startTestStack({
    mcpServers: {
      filesystem: { command: "mcp-server-filesystem", args: [join(ROOT, "catalog/sample")], title: "Sample files" },
      everything: { command: "mcp-server-everything", args: ["stdio"], description: "The MCP reference test server" },
      edge: edgeStdio({ timeoutMs: 3_000 }),
      remote: { type: "streamable-http", url: `http://127.0.0.1:${httpPort}/mcp`, title: "Edge over Streamable HTTP" },
      legacy: { type: "sse", url: `http://127.0.0.1:${ssePort}/sse` },
      github: { type: "streamable-http", url: "https://api.githubcopilot.com/mcp/", headers: { Authorization: "Bearer ${GITHUB_TOKEN_FOR_TESTS_UNSET}" } },
      off: { command: "mcp-server-memory", enabled: false },
    },
  });
  await stack.waitUntilHealthy();
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([stopProcess(httpEdge), stopProcess(sseEdge)]);
});

/**
 * POSTs with node:http and resolves with the status as soon as it arrives: a server may answer 413
 * and close before the upload ends, which fetch reports as a failed request.
 */
function postStatus(url: string, body: string, chunked: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { "content-type": "application/json", ...(chunked ? {} : { "content-length": Buffer.byteLength(body) }) };
    const req = request(url, { method: "POST", headers }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    req.on("error", (error) => setTimeout(() => reject(error), 1_000)); // a response may still win
    if (chunked) for (let i = 0; i < body.length; i += 65_536) req.write(body.slice(i, i + 65_536));
    else req.write(body);
    req.end();
  });
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

describe("health and listings", () => {
  it("reports the proxy, the bridge and every server with a latency", async () => {
    const { status, body } = await json(await stack.get("/health"));
    expect(status).toBe(200);
    expect(body.proxy.status).toBe("ok");
    expect(body.bridge).toMatchObject({ status: "ok", latencyMs: expect.any(Number) });
    for (const name of ["remote", "legacy"]) {
      expect(body.servers[name], name).toMatchObject({ status: "ok", latencyMs: expect.any(Number) });
    }
    // stdio servers start on their first call; until then they are idle, which is healthy.
    await stack.post("/everything/echo", { message: "wake up" });
    const after = (await json(await stack.get("/health"))).body;
    expect(after.servers.everything).toMatchObject({ status: "ok", latencyMs: expect.any(Number) });
    // The others may still be starting once in the background to record their tools.
    for (const name of ["filesystem", "edge"]) expect(["ok", "idle", "starting"], name).toContain(after.servers[name].status);
    expect(after.status).toBe("ok");
    expect(body.servers.github).toMatchObject({ status: "disabled", error: expect.stringContaining("GITHUB_TOKEN_FOR_TESTS_UNSET") });
  });

  it("lists every catalog server, enabled or not, with transport, tool count and status", async () => {
    const { status, body } = await json(await stack.get("/servers"));
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.servers.map((s: any) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["edge", "everything", "filesystem", "github", "legacy", "off", "remote"]);
    expect(byName.filesystem).toMatchObject({ title: "Sample files", transport: "stdio", enabled: true, status: "ok", toolCount: expect.any(Number) });
    expect(byName.filesystem.toolCount).toBeGreaterThan(5);
    expect(byName.everything.description).toBe("The MCP reference test server");
    expect(byName.remote).toMatchObject({ transport: "streamable-http", status: "ok" });
    expect(byName.legacy).toMatchObject({ transport: "sse", status: "ok" });
    expect(byName.remote.toolCount).toBe(byName.edge.toolCount);
    expect(byName.legacy.toolCount).toBe(byName.edge.toolCount);
    expect(byName.github).toMatchObject({
      enabled: false,
      status: "disabled",
      toolCount: null,
      disabledReason: "needs GITHUB_TOKEN_FOR_TESTS_UNSET (not set in the environment)",
    });
    expect(byName.off).toMatchObject({ enabled: false, disabledReason: "disabled in the catalog" });
  });

  it("serves a browsable API page whose files come from the proxy itself (no CDN)", async () => {
    const response = await stack.get("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain('"openapi.json"');
    expect(page).not.toMatch(/\bhttps?:\/\//);
    const assets = [...page.matchAll(/(?:href|src)="(docs\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.sort()).toEqual(["docs/favicon-32x32.png", "docs/swagger-ui-bundle.js", "docs/swagger-ui.css"]);
    for (const asset of assets) {
      const file = await stack.get(`/${asset}`);
      expect(file.status, asset).toBe(200);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(500);
    }
    expect((await stack.get("/docs/swagger-ui-bundle.js")).headers.get("content-type")).toContain("javascript");
    expect((await stack.get("/docs/package.json")).status).toBe(404);
    expect((await stack.get("/docs/..%2Fpackage.json")).status).toBe(404);
  });
});

describe("tool calls", () => {
  it("calls a reference server's tool with the arguments as the body, or wrapped in `arguments`", async () => {
    const direct = await stack.post("/filesystem/list_directory", { path: "." });
    expect(direct.status).toBe(200);
    const listing = JSON.stringify(await direct.json());
    expect(listing).toContain("README.md");
    expect(listing).toContain("[DIR] notes");

    const wrapped = await stack.post("/filesystem/list_directory", { arguments: { path: "notes" } });
    expect(wrapped.status).toBe(200);
    expect(JSON.stringify(await wrapped.json())).toContain("todo.txt");
  });

  it("does not unwrap `arguments` for a tool that takes a parameter of that name", async () => {
    const { body } = await json(await stack.post("/edge/takes_arguments", { arguments: { a: 1 } }));
    expect(body).toEqual({ got: { arguments: { a: 1 } } });
  });

  it.each(["edge", "remote", "legacy"])("maps every kind of result the same way over %s", async (server) => {
    expect((await json(await stack.post(`/${server}/add`, { a: 2, b: 3 }))).body).toEqual({ sum: 5 });
    expect((await json(await stack.post(`/${server}/json_text`, {}))).body).toEqual({ ok: true, items: [1, 2] });

    const plain = await stack.post(`/${server}/plain_text`, {});
    expect(plain.headers.get("content-type")).toContain("text/plain");
    expect(await plain.text()).toBe("hello, world");

    const image = (await json(await stack.post(`/${server}/image`, {}))).body;
    expect(image).toMatch(/^data:image\/png;base64,iVBOR/);

    const multi = (await json(await stack.post(`/${server}/multi`, {}))).body;
    expect(multi).toEqual(["one", { two: 2 }, expect.stringMatching(/^data:image\/png;base64,/)]);
  });

  it("calls tools whose names need escaping in a path", async () => {
    expect(await (await stack.post("/edge/get.weather", { city: "Oslo" })).text()).toBe("sunny in Oslo");
    expect(await (await stack.post("/edge/name%20with%20spaces", {})).text()).toBe("spaces ok");
    expect(await (await stack.post(`/edge/${LONG_TOOL_NAME}`, {})).text()).toBe("long ok");
  });

  it("calls the everything reference server's echo", async () => {
    const response = await stack.post("/everything/echo", { message: "héllo ✓ 𝄞" });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("héllo ✓ 𝄞");
  });
});

describe("errors", () => {
  it("names the servers there are for an unknown server", async () => {
    const { status, body } = await json(await stack.post("/nope/echo", {}));
    expect(status).toBe(404);
    expect(body.error.code).toBe("unknown_server");
    expect(body.error.message).toContain("'nope'");
    expect(body.error.message).toContain("filesystem");
    expect(body.error.message).toContain("edge");
  });

  it("names the tools there are for an unknown tool", async () => {
    const { status, body } = await json(await stack.post("/filesystem/delete_everything", {}));
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: "unknown_tool", server: "filesystem", tool: "delete_everything" });
    expect(body.error.message).toContain("list_directory");
  });

  it("says why a disabled server cannot be called", async () => {
    const { status, body } = await json(await stack.post("/github/search_repositories", { query: "x" }));
    expect(status).toBe(503);
    expect(body.error.message).toContain("GITHUB_TOKEN_FOR_TESTS_UNSET");
  });

  it("rejects bodies that are not JSON objects with 400 and the reason", async () => {
    const bad = await json(await stack.post("/edge/echo", '{"message": '));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_json");
    const array = await json(await stack.post("/edge/echo", "[1,2]"));
    expect(array.status).toBe(400);
    expect(array.body.error.message).toContain("JSON object");
  });

  it("rejects a body that is not JSON by its content type with 415", async () => {
    const response = await stack.post("/edge/echo", "message=hi", { "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(415);
  });

  it.each([
    ["with a content-length", false],
    ["sent in chunks", true],
  ])("rejects a body over the limit %s with 413 and stays up", async (_how, chunked) => {
    const huge = JSON.stringify({ message: "x".repeat(5 * 1024 * 1024) });
    expect(await postStatus(`${stack.url}/edge/echo`, huge, chunked)).toBe(413);
    expect(await (await stack.post("/edge/echo", { message: "still here" })).text()).toBe("still here");
  });

  it("answers GET on a tool route with 405 and unknown routes with 404 listing the routes", async () => {
    const get = await stack.get("/edge/echo");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const { status, body } = await json(await stack.get("/a/b/c"));
    expect(status).toBe(404);
    expect(body.error.message).toContain("POST /{server}/{tool}");
  });

  it("returns a tool's own error with 422 and its message, not a proxy error", async () => {
    const { status, body } = await json(await stack.post("/remote/fail", {}));
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: "tool_error", message: "something broke", server: "remote", tool: "fail" });
  });

  it("maps an upstream's invalid-params error to 400 with its message", async () => {
    const { status, body } = await json(await stack.post("/edge/invalid_params", {}));
    expect(status).toBe(400);
    expect(body.error.message).toContain("field 'x' is required");
  });

  it("times out a hanging stdio tool with 504 naming the server", async () => {
    const { status, body } = await json(await stack.post("/edge/hang", {}));
    expect(status).toBe(504);
    expect(body.error.message).toContain("'edge'");
  });

  it("survives hostile names and bodies", async () => {
    for (const path of ["/edge/..%2F..%2Fetc%2Fpasswd", "/%00/x", "/edge/%F0%9F%92%A5", "/'%3B%20DROP%20TABLE%20x%3B--/echo"]) {
      const response = await stack.post(path, {});
      expect([404], path).toContain(response.status);
      expect((await response.json()).error.code).toMatch(/unknown_(server|tool)/);
    }
    const message = "\u0000\u202e\ud83d\ude00 ' OR 1=1; --";
    const weird = await stack.post("/edge/echo", { message });
    expect(weird.status).toBe(200);
    expect(await weird.text()).toBe(message);
  });
});

describe("concurrency, sessions and caching", () => {
  it("runs concurrent calls to one stdio server side by side", async () => {
    // The barrier tool answers only when all five calls are inside the server at once.
    const calls = Array.from({ length: 5 }, () => stack.post("/edge/barrier", { key: "stdio-5", count: 5 }));
    const answers = await Promise.all(calls.map(async (call) => ({ status: (await call).status })));
    expect(answers).toEqual(Array(5).fill({ status: 200 }));
  });

  it("reuses the upstream session instead of a handshake per call", async () => {
    const before = (await json(await stack.post("/remote/stats", {}))).body;
    for (let i = 0; i < 5; i += 1) await stack.post("/remote/echo", { message: `call ${i}` });
    const after = (await json(await stack.post("/remote/stats", {}))).body;
    expect(after.calls - before.calls).toBe(6);
    expect(after.initialize).toBe(before.initialize);
    expect(after.toolsList).toBe(before.toolsList);
  });

  it.each(["404", "400"])("opens a new session when the restarted upstream answers %s to the old one", async (status) => {
    await stack.post("/remote/echo", { message: "warm" });
    await stopProcess(httpEdge);
    httpEdge = await startEdgeServer("http", httpPort, { STALE_SESSION_STATUS: status });
    const response = await stack.post("/remote/echo", { message: "after restart" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("after restart");
    const stats = (await json(await stack.post("/remote/stats", {}))).body;
    expect(stats.initialize).toBe(1);
  });

  it("finds a tool the server added after its list was cached, and shows it in the specs", async () => {
    expect((await stack.post("/remote/brand_new", {})).status).toBe(404);
    await stack.get("/remote/openapi.json");
    await stack.post("/remote/add_tool", { name: "brand_new" });
    const before = await (await stack.get("/remote/openapi.json")).json();
    expect(before.paths["/remote/brand_new"]).toBeUndefined();
    const response = await stack.post("/remote/brand_new", {});
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("dynamic brand_new");
    // The refreshed list is a new version: the cached documents must not serve the old one.
    const after = await (await stack.get("/remote/openapi.json")).json();
    expect(after.paths["/remote/brand_new"]).toBeDefined();
    expect(Object.keys((await (await stack.get("/openapi.json")).json()).paths)).toContain("/remote/brand_new");
  });
});
