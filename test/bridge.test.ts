// The bridge alone: a private door that only the worker's token opens, and that will not start
// without a token or with a broken catalog.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeStatus } from "../schema/bridge-status.ts";
import { BRIDGE_BUNDLE } from "../scripts/build-bridge.ts";
import { ROOT } from "../scripts/stack.ts";
import { startBridge, type BridgeProcess } from "./helpers/processes.ts";

const TOKEN = "test-token-0123456789abcdef";

function writeCatalog(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "bridge-test-")), "servers.json");
  writeFileSync(path, text);
  return path;
}

function runBridge(env: Record<string, string>) {
  const clean = { ...process.env };
  for (const name of ["BRIDGE_TOKEN", "API_GATEWAY_MODE", "API_GATEWAY_SECRET", "DATABASE_URL"]) delete clean[name];
  return spawnSync(process.execPath, [BRIDGE_BUNDLE], { cwd: ROOT, env: { ...clean, ...env }, encoding: "utf8", timeout: 20_000 });
}

describe("start-up", () => {
  it("refuses to start without a token", () => {
    const result = runBridge({ MCP_CATALOG: writeCatalog('{"mcpServers":{}}'), BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("BRIDGE_TOKEN must be set");
  });

  it("refuses a token too short to be a secret", () => {
    const result = runBridge({ BRIDGE_TOKEN: "short", MCP_CATALOG: writeCatalog('{"mcpServers":{}}'), BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("at least 16 characters");
  });

  it("refuses an idle timeout that is not a whole number of seconds", () => {
    const result = runBridge({ BRIDGE_TOKEN: TOKEN, STDIO_IDLE_TIMEOUT_SECONDS: "5m", MCP_CATALOG: writeCatalog('{"mcpServers":{}}'), BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('STDIO_IDLE_TIMEOUT_SECONDS "5m" is not a whole number of seconds');
  });

  it.each(["32MB", "-1", "1.5", "100"])("refuses MAX_RESULT_BYTES=%s, naming the variable", (value) => {
    const result = runBridge({ BRIDGE_TOKEN: TOKEN, MAX_RESULT_BYTES: value, MCP_CATALOG: writeCatalog('{"mcpServers":{}}'), BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`MAX_RESULT_BYTES "${value}" is not a whole number of bytes`);
  });

  it("refuses gateway mode without the gateway's secret", () => {
    const result = runBridge({ BRIDGE_TOKEN: TOKEN, API_GATEWAY_MODE: "true", MCP_CATALOG: writeCatalog('{"mcpServers":{}}'), BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("API_GATEWAY_MODE=true needs API_GATEWAY_SECRET");
  });

  it("stops on a malformed catalog with a message naming the file, the server and the field", () => {
    const path = writeCatalog(JSON.stringify({ mcpServers: { ok: { command: "x" }, broken: { type: "sse", url: 42 } } }));
    const result = runBridge({ BRIDGE_TOKEN: TOKEN, MCP_CATALOG: path, BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("servers.json");
    expect(result.stderr).toContain('server "broken"');
    expect(result.stderr).toContain('field "url"');
  });

  it("stops on a catalog that is not JSON, naming the file", () => {
    const result = runBridge({ BRIDGE_TOKEN: TOKEN, MCP_CATALOG: writeCatalog('{"mcpServers": {'), BRIDGE_PORT: "0" });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/servers\.json: not valid JSON/);
  });
});

describe("a running bridge", () => {
  let bridge: BridgeProcess;
  const url = (path: string) => `${bridge.url}${path}`;

  beforeAll(async () => {
    const catalog = writeCatalog(
      JSON.stringify({
        mcpServers: { everything: { command: "mcp-server-everything" }, secret: { command: "x", env: { API_KEY: "do-not-leak" }, enabled: false } },
      }),
    );
    bridge = await startBridge({
      BRIDGE_TOKEN: TOKEN,
      MAX_BODY_BYTES: "4096",
      MCP_CATALOG: catalog,
      MCP_DATA_DIR: mkdtempSync(join(tmpdir(), "bridge-test-data-")),
    });
  });
  afterAll(() => bridge?.stop());

  it.each([
    ["no token", {}],
    ["a wrong token", { authorization: "Bearer wrong-token-0123456789abcdef" }],
    ["the token in another scheme", { authorization: `Basic ${TOKEN}` }],
  ])("refuses a request with %s, on every route", async (what, headers: Record<string, string>) => {
    for (const [method, path] of [
      ["GET", "/status"],
      ["GET", "/catalog"],
      ["POST", "/servers/everything/mcp"],
    ]) {
      const response = await fetch(url(path!), { method, headers });
      // RFC 6750: a malformed Authorization header is an invalid request (400), a missing or wrong token 401.
      expect(response.status, `${method} ${path}`).toBe(what.includes("scheme") ? 400 : 401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("answers /status in the shape the worker parses (schema/bridge-status.ts)", async () => {
    const response = await fetch(url("/status"), { headers: { authorization: `Bearer ${TOKEN}` } });
    const status = BridgeStatus.parse(await response.json());
    expect(Object.keys(status.servers)).toEqual(["everything"]);
    expect(status.servers.everything).toMatchObject({ restarts: 0, known: expect.any(Boolean) });
  });

  it("gives the worker the catalog without commands or their secrets", async () => {
    const response = await fetch(url("/catalog"), { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text).servers.map((s: any) => s.name)).toEqual(["everything", "secret"]);
    expect(text).not.toContain("do-not-leak");
    expect(text).not.toContain("command");
  });

  it("listens on loopback only", () => {
    // The kernel's own table of listening sockets: the bridge's port is bound to 127.0.0.1 alone.
    const port = Number(new URL(bridge.url).port).toString(16).toUpperCase().padStart(4, "0");
    const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
      .flatMap((file) => readFileSync(file, "utf8").trim().split("\n").slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter(([, local, , state]) => state === "0A" && local!.endsWith(`:${port}`))
      .map(([, local]) => local!.split(":")[0]);
    expect(listening).toEqual(["0100007F"]);
  });

  it("requires an MCP session for anything but initialize", async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const noSession = await fetch(url("/servers/everything/mcp"), {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(noSession.status).toBe(400);
    const stale = await fetch(url("/servers/everything/mcp"), {
      method: "POST",
      headers: { ...headers, "mcp-session-id": "made-up" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(stale.status).toBe(404);
    const notJson = await fetch(url("/servers/everything/mcp"), { method: "POST", headers, body: "{" });
    expect(notJson.status).toBe(400);
    const unknown = await fetch(url("/servers/secret/mcp"), { method: "POST", headers, body: "{}" });
    expect(unknown.status).toBe(404);
  });

  it("refuses a body over MAX_BODY_BYTES, declared or sent in chunks, and stays up", async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { padding: "x".repeat(8_000) } });
    const declared = await fetch(url("/servers/everything/mcp"), { method: "POST", headers, body: big });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.message).toContain("larger than 4096 bytes");
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < big.length; i += 1_000) controller.enqueue(new TextEncoder().encode(big.slice(i, i + 1_000)));
        controller.close();
      },
    });
    const chunked = await fetch(url("/servers/everything/mcp"), { method: "POST", headers, body: chunks, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    const small = JSON.stringify({
      jsonrpc: "2.0",
      id: 2,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect((await fetch(url("/servers/everything/mcp"), { method: "POST", headers, body: small })).status).toBe(200);
  });
});
