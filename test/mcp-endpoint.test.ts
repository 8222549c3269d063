// /mcp and /{server}/mcp with the SDK's own Streamable HTTP client, in gateway mode against a real
// PostgreSQL: the same users and grants as the OpenAPI face, namespacing across servers (the
// edge server twice, the reference "everything" server for prompts and resources, a remote one),
// list changes on an open stream, protocol versions, stateless sessions and hostile requests.
import type { ChildProcess } from "node:child_process";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION, type Progress, SUPPORTED_PROTOCOL_VERSIONS, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withClient, type TestDatabase } from "./helpers/postgres.ts";
import { freePort, startEdgeServer, stopProcess } from "./helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const SECRET = "gateway-secret-0123456789abcdef";
const API_KEY = "api-key-0123456789abcdef";
const MCP_ACCEPT = "application/json, text/event-stream";

let database: TestDatabase;
let stack: TestStack;
let remote: ChildProcess;
const clients: Client[] = [];
const modernClients: ModernClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const remotePort = await freePort();
  remote = await startEdgeServer("http", remotePort);
  stack = await startTestStack(
    {
      mcpServers: {
        alpha: edgeStdio(),
        beta: edgeStdio(),
        everything: { command: "mcp-server-everything" },
        remote: { type: "streamable-http", url: `http://127.0.0.1:${remotePort}/mcp` },
      },
    },
    {
      API_GATEWAY_MODE: "true",
      API_GATEWAY_SECRET: SECRET,
      MCP_API_KEY: API_KEY,
      DATABASE_URL: database.url,
      GRANTS_TTL_SECONDS: "1",
      MAX_BODY_BYTES: "65536",
      CORS_ALLOW_ORIGINS: "https://chat.example.com",
    },
  );
  await until(() => withClient(database.url, async (c) => (await c.query("SELECT to_regclass('user_admin_status') AS t")).rows[0].t !== null), "the schema");
  await withClient(database.url, (client) =>
    client.query(`
      INSERT INTO group_tenant_mapping (group_name, tenant_id) VALUES ('alpha-users', 'alpha'), ('mixed', 'everything'), ('mixed', 'remote');
      INSERT INTO user_group_membership (user_email, group_name) VALUES ('alice@example.com', 'alpha-users'), ('bob@example.com', 'mixed');
      INSERT INTO user_admin_status (user_email, is_admin) VALUES ('carol@example.com', true);
    `),
  );
  await stack.waitUntilHealthy(60_000);
});

afterAll(async () => {
  await Promise.all([...clients, ...modernClients].map((client) => client.close().catch(() => {})));
  await stack?.stop();
  await stopProcess(remote);
  await database?.drop();
});

function as(email: string | null): Record<string, string> {
  return { authorization: `Bearer ${API_KEY}`, "x-gateway-secret": SECRET, ...(email ? { "x-user-email": email } : {}) };
}

async function connect(path: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "mcp-endpoint-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(stack.url + path), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

/** One JSON-RPC message POSTed as an MCP client would after initialising, answered as JSON. */
function rpc(path: string, message: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(stack.url + path, {
    method: "POST",
    headers: { ...as("carol@example.com"), "content-type": "application/json", accept: MCP_ACCEPT, ...headers },
    body: typeof message === "string" ? message : JSON.stringify(message),
  });
}

describe("tools across servers", () => {
  it("lists the tools of every server the caller may use, named as in /openapi.json, and calls them", async () => {
    const client = await connect("/mcp", as("carol@example.com"));
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["alpha_echo", "beta_echo", "everything_echo", "everything_get-sum", "remote_echo"]));

    const spec = await (await stack.get("/openapi.json", as("carol@example.com"))).json();
    const operationIds = Object.values(spec.paths).flatMap((path: any) => (path.post?.operationId ? [path.post.operationId] : []));
    expect([...names].sort()).toEqual(operationIds.filter((id: string) => !id.startsWith("admin")).sort());

    const alpha = await client.callTool({ name: "alpha_add", arguments: { a: 2, b: 3 } });
    const direct = await client.callTool({ name: "everything_get-sum", arguments: { a: 2, b: 3 } });
    expect(alpha.isError).toBeFalsy();
    expect(JSON.stringify(alpha.content)).toContain("5");
    expect(JSON.stringify(direct.content)).toContain("5");
  });

  it("keeps each tool's title, description, schemas and annotations, and gives results as the upstream gave them", async () => {
    const all = await connect("/mcp", as("carol@example.com"));
    const one = await connect("/everything/mcp", as("carol@example.com"));
    const own = (await one.listTools()).tools;
    const renamed = (await all.listTools()).tools.filter((t) => t.name.startsWith("everything_"));
    expect(own.some((t) => t.annotations && t.outputSchema)).toBe(true);
    expect(renamed.map(({ name, ...rest }) => ({ ...rest, name: name.slice("everything_".length) }))).toEqual(own);

    const structured = await all.callTool({ name: "everything_get-structured-content", arguments: { location: "New York" } });
    expect(structured).toEqual(await one.callTool({ name: "get-structured-content", arguments: { location: "New York" } }));
    expect(structured.structuredContent).toBeDefined();
    const failed = await all.callTool({ name: "alpha_fail", arguments: {} });
    expect(failed).toEqual({ isError: true, content: [{ type: "text", text: "something broke" }] });
  });

  it("serves one server at /{server}/mcp under its own names; 403 for a server not the caller's, 404 for none", async () => {
    const client = await connect("/alpha/mcp", as("alice@example.com"));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("echo");
    expect((await client.callTool({ name: "echo", arguments: { message: "hi" } })).content).toEqual([{ type: "text", text: "hi" }]);

    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "t", version: "1" } },
    };
    const forbidden = await rpc("/beta/mcp", initialize, as("alice@example.com"));
    expect(forbidden.status).toBe(403);
    const unknown = await rpc("/nope/mcp", initialize, as("alice@example.com"));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toContain("Available servers: alpha");
  });
});

describe("permissions", () => {
  it("shows a user only their servers' tools, resources and prompts, and refuses the rest without naming other servers", async () => {
    const alice = await connect("/mcp", as("alice@example.com"));
    expect((await alice.listTools()).tools.every((t) => t.name.startsWith("alpha_"))).toBe(true);
    expect((await alice.listResources()).resources).toEqual([]);
    expect((await alice.listPrompts()).prompts).toEqual([]);

    for (const name of ["beta_echo", "everything_echo", "remote_echo"]) {
      const refused = await alice.callTool({ name, arguments: { message: "hi" } }).catch((error: Error) => error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toBe(`MCP error -32602: Unknown tool: ${name}`);
    }
    const read = await alice.readResource({ uri: "mcp-proxy://everything/demo://resource/static/document/features.md" }).catch((e: Error) => e);
    expect((read as Error).message).toContain("Unknown resource");
    const prompt = await alice.getPrompt({ name: "everything_simple-prompt" }).catch((e: Error) => e);
    expect((prompt as Error).message).toContain("Unknown prompt");

    const bob = await connect("/mcp", as("bob@example.com"));
    const servers = new Set((await bob.listTools()).tools.map((t) => t.name.split("_")[0]));
    expect([...servers].sort()).toEqual(["everything", "remote"]);
  });

  it("lets the key alone list but not call in gateway mode, saying why", async () => {
    const client = await connect("/mcp", { authorization: `Bearer ${API_KEY}` });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const refused = await client.callTool({ name: "alpha_echo", arguments: { message: "hi" } }).catch((e: Error) => e);
    expect((refused as Error).message).toContain("A tool call needs a user");
  });

  it("shows a grant added in the database once the grants cache expires, with list_changed to the open stream", async () => {
    const dave = await connect("/mcp", as("dave@example.com"));
    const changes: string[] = [];
    dave.setNotificationHandler(ToolListChangedNotificationSchema, (notification) => void changes.push(notification.method));
    expect((await dave.listTools()).tools).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the stream has taken its first look
    await withClient(database.url, (client) =>
      client.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ('dave@example.com', 'alpha-users')"),
    );
    await until(async () => changes.length > 0, "a tools/list_changed notification", 15_000);
    expect(changes).toContain("notifications/tools/list_changed");
    expect((await dave.listTools()).tools.map((t) => t.name)).toContain("alpha_echo");
  });
});

describe("resources and prompts", () => {
  it("namespaces resources as mcp-proxy://<server>/<uri> and prompts as <server>_<name>, and reads and gets them", async () => {
    const client = await connect("/mcp", as("bob@example.com"));
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.every((r) => r.uri.startsWith("mcp-proxy://everything/demo://"))).toBe(true);
    const read = await client.readResource({ uri: resources[0]!.uri });
    expect(read.contents[0]!.uri).toBe(resources[0]!.uri);

    const { resourceTemplates } = await client.listResourceTemplates();
    const template = resourceTemplates.find((t) => t.uriTemplate.includes("dynamic/text"))!;
    expect(template.uriTemplate).toBe("mcp-proxy://everything/demo://resource/dynamic/text/{resourceId}");
    const expanded = template.uriTemplate.replace("{resourceId}", "1");
    expect((await client.readResource({ uri: expanded })).contents[0]!.uri).toBe(expanded);

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(["everything_simple-prompt", "everything_args-prompt"]));
    const got = await client.getPrompt({ name: "everything_args-prompt", arguments: { city: "Lisbon" } });
    expect(JSON.stringify(got.messages)).toContain("Lisbon");
  });

  it("points resource links in tool results at the same endpoint", async () => {
    const client = await connect("/mcp", as("bob@example.com"));
    const result = await client.callTool({ name: "everything_get-resource-links", arguments: { count: 1 } });
    const link = (result.content as any[]).find((item) => item.type === "resource_link");
    expect(link.uri).toMatch(/^mcp-proxy:\/\/everything\/demo:\/\//);
    expect((await client.readResource({ uri: link.uri })).contents.length).toBe(1);
  });
});

describe("protocol", () => {
  it.each(SUPPORTED_PROTOCOL_VERSIONS)("negotiates %s, and answers an unknown version with the latest", async (version) => {
    const params = { protocolVersion: version, capabilities: {}, clientInfo: { name: "t", version: "1" } };
    const answer = await (await rpc("/mcp", { jsonrpc: "2.0", id: 1, method: "initialize", params })).json();
    expect(answer.result.protocolVersion).toBe(version);
    const unknown = await rpc("/mcp", { jsonrpc: "2.0", id: 2, method: "initialize", params: { ...params, protocolVersion: "2099-01-01" } });
    expect((await unknown.json()).result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
  });

  it("keeps no session: a session id it never handed out (another worker's, before a restart) is served, and DELETE ends nothing", async () => {
    const headers = { "mcp-session-id": crypto.randomUUID(), "mcp-protocol-version": LATEST_PROTOCOL_VERSION };
    const listed = await rpc("/mcp", { jsonrpc: "2.0", id: 7, method: "tools/list" }, headers);
    expect(listed.status).toBe(200);
    expect((await listed.json()).result.tools.length).toBeGreaterThan(0);
    const ended = await fetch(`${stack.url}/mcp`, { method: "DELETE", headers: { ...as("carol@example.com"), ...headers } });
    expect(ended.status).toBe(200);
  });

  it("answers a lone tools/call (its fast path) exactly as the SDK's server answers it (a _meta sends it there)", async () => {
    const headers = { "mcp-protocol-version": LATEST_PROTOCOL_VERSION };
    const call = async (params: Record<string, unknown>) => (await rpc("/mcp", { jsonrpc: "2.0", id: 9, method: "tools/call", params }, headers)).json();
    for (const params of [
      { name: "alpha_add", arguments: { a: 1, b: 2 } },
      { name: "alpha_fail", arguments: {} },
      { name: "alpha_invalid_params", arguments: {} },
      { name: "nope", arguments: {} },
    ]) {
      const fast = await call(params);
      const sdk = await call({ ...params, _meta: {} });
      expect(fast, params.name).toEqual(sdk);
      expect(fast.id).toBe(9);
    }
    const refused = await call({ name: "alpha_echo", arguments: [] });
    expect(refused.error.message).toMatch(/invalid/i); // not an object: left to the SDK, which refuses it
  });

  it("relays the upstream's progress to a caller who asks with a progress token, then the result; without one the answer is JSON", async () => {
    const tool = "everything_trigger-long-running-operation";
    const client = await connect("/mcp", as("bob@example.com"));
    const reports: Progress[] = [];
    const result = await client.callTool({ name: tool, arguments: { duration: 0.3, steps: 3 } }, undefined, { onprogress: (p) => reports.push(p) });
    expect(reports).toEqual([1, 2, 3].map((progress) => ({ progress, total: 3 })));
    expect((result.content as { text: string }[])[0]!.text).toContain("Steps: 3");

    const headers = { ...as("bob@example.com"), "mcp-protocol-version": LATEST_PROTOCOL_VERSION };
    const call = (id: number, params: Record<string, unknown>) => rpc("/mcp", { jsonrpc: "2.0", id, method: "tools/call", params }, headers);
    const streamed = await call(1, { name: tool, arguments: { duration: 0.2, steps: 2 }, _meta: { progressToken: "bob's-token" } });
    expect(streamed.headers.get("content-type")).toContain("text/event-stream");
    const messages = (await streamed.text())
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)));
    expect(messages.slice(0, 2)).toEqual(
      [1, 2].map((progress) => ({ jsonrpc: "2.0", method: "notifications/progress", params: { progress, total: 2, progressToken: "bob's-token" } })),
    );
    expect(messages[2]).toMatchObject({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text" }] } });
    expect(messages).toHaveLength(3);

    const plain = await call(2, { name: tool, arguments: { duration: 0.1, steps: 2 } });
    expect(plain.headers.get("content-type")).toContain("application/json");
    expect((await plain.json()).result.content[0].text).toContain("Steps: 2");
    // Refused before any progress: a plain JSON-RPC error, as without a token.
    const refused = await call(3, { name: "alpha_add", arguments: { a: 1, b: 2 }, _meta: { progressToken: 7 } });
    expect(refused.headers.get("content-type")).toContain("application/json");
    expect((await refused.json()).error.message).toBe("Unknown tool: alpha_add");
  });

  it("refuses an unsupported MCP-Protocol-Version, a body that is not JSON, and a client that does not accept both answers", async () => {
    const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
    const version = await rpc("/mcp", ping, { "mcp-protocol-version": "1999-01-01" });
    expect(version.status).toBe(400);
    expect(await version.text()).toContain("Unsupported protocol version");
    const notJson = await rpc("/mcp", "{not json");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe(-32700);
    expect((await rpc("/mcp", ping, { accept: "application/json" })).status).toBe(406);
    expect((await rpc("/mcp", ping, { "content-type": "text/plain" })).status).toBe(415);
  });
});

describe("the stateless 2026-07-28 revision, with the v2 SDK's client", () => {
  const MODERN = "2026-07-28";
  async function connectModern(path: string, headers: Record<string, string>, mode: "auto" | { pin: string } = { pin: MODERN }) {
    const client = new ModernClient({ name: "mcp-endpoint-test", version: "1.0.0" }, { versionNegotiation: { mode } });
    await client.connect(new ModernTransport(new URL(stack.url + path), { requestInit: { headers } }));
    modernClients.push(client);
    return client;
  }

  it("is chosen by a negotiating client, and lists the same tools, prompts and resources as the 2025 protocol", async () => {
    const modern = await connectModern("/mcp", as("bob@example.com"), "auto");
    expect(modern.getNegotiatedProtocolVersion()).toBe(MODERN);
    const legacy = await connect("/mcp", as("bob@example.com"));
    const names = (tools: { name: string }[]) => tools.map((tool) => tool.name).sort();
    expect(names((await modern.listTools()).tools)).toEqual(names((await legacy.listTools()).tools));
    expect(names((await modern.listPrompts()).prompts)).toEqual(names((await legacy.listPrompts()).prompts));
    expect((await modern.listResources()).resources.map((r) => r.uri).sort()).toEqual((await legacy.listResources()).resources.map((r) => r.uri).sort());
    // The same definition, less `execution.taskSupport`: this revision's wire format has no tasks.
    const { execution, ...definition } = (await legacy.listTools()).tools.find((tool) => tool.name === "everything_echo")!;
    expect(execution).toEqual({ taskSupport: "forbidden" });
    expect((await modern.listTools()).tools.find((tool) => tool.name === "everything_echo")).toEqual(definition);
  });

  it("calls tools as the caller, relays progress, and refuses another user's tools without naming them", async () => {
    const bob = await connectModern("/mcp", as("bob@example.com"));
    const echoed = await bob.callTool({ name: "everything_echo", arguments: { message: "modern" } });
    expect(echoed.content).toEqual([{ type: "text", text: "Echo: modern" }]);
    const reports: { progress: number }[] = [];
    await bob.callTool({ name: "everything_trigger-long-running-operation", arguments: { duration: 0.2, steps: 2 } }, { onprogress: (p) => reports.push(p) });
    expect(reports.map((report) => report.progress)).toEqual([1, 2]);
    const refused = await bob.callTool({ name: "alpha_add", arguments: { a: 1, b: 2 } }).catch((error: Error) => error);
    expect((refused as Error).message).toContain("Unknown tool: alpha_add");
    expect((refused as Error).message).not.toContain("alpha-users");

    const alice = await connectModern("/alpha/mcp", as("alice@example.com"));
    expect((await alice.callTool({ name: "add", arguments: { a: 2, b: 3 } })).structuredContent).toEqual({ sum: 5 });
    const forbidden = await rpc("/everything/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }, as("alice@example.com"));
    expect(forbidden.status).toBe(403);
  });

  it("announces a grant added in the database over subscriptions/listen, with the new list", async () => {
    const lists: string[][] = [];
    const erin = new ModernClient(
      { name: "mcp-endpoint-test", version: "1.0.0" },
      {
        versionNegotiation: { mode: { pin: MODERN } },
        listChanged: { tools: { debounceMs: 0, onChanged: (_error, tools) => void (tools && lists.push(tools.map((tool) => tool.name))) } },
      },
    );
    await erin.connect(new ModernTransport(new URL(`${stack.url}/mcp`), { requestInit: { headers: as("erin@example.com") } }));
    modernClients.push(erin);
    expect((await erin.listTools()).tools).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the watch has taken its first look
    await withClient(database.url, (client) =>
      client.query("INSERT INTO user_group_membership (user_email, group_name) VALUES ('erin@example.com', 'alpha-users')"),
    );
    await until(async () => lists.length > 0, "a tools list change over subscriptions/listen", 15_000);
    expect(lists.at(-1)).toContain("alpha_echo");
    expect(lists.at(-1)!.every((name) => name.startsWith("alpha_"))).toBe(true);
  });

  it("answers a request without the key, or a revision it does not speak, as the 2025 protocol does", async () => {
    const envelope = (version: string) => ({
      "io.modelcontextprotocol/protocolVersion": version,
      "io.modelcontextprotocol/clientInfo": { name: "curl", version: "1" },
      "io.modelcontextprotocol/clientCapabilities": {},
    });
    const list = (version: string, headers: Record<string, string>) =>
      fetch(`${stack.url}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: MCP_ACCEPT, "mcp-protocol-version": version, ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: envelope(version) } }),
      });
    // Neither the key nor the gateway's secret (which stands in for the key: the gateway vouches).
    expect((await list(MODERN, { "x-user-email": "bob@example.com" })).status).toBe(401);
    const unknown = await list("2099-01-01", as("bob@example.com"));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain(MODERN);
  });
});

describe("hostile requests", () => {
  it("refuses a cross-site page before anything runs, and a body over MAX_BODY_BYTES", async () => {
    const crossSite = await rpc("/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }, { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    const huge = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "alpha_echo", arguments: { message: "x".repeat(70_000) } } };
    expect((await rpc("/mcp", huge)).status).toBe(413);
  });

  it("lets an allowed web page speak MCP: preflight with the MCP headers, and the session id readable", async () => {
    const preflight = await fetch(`${stack.url}/mcp`, {
      method: "OPTIONS",
      headers: {
        origin: "https://chat.example.com",
        "access-control-request-method": "DELETE",
        "access-control-request-headers": "mcp-session-id, mcp-protocol-version",
      },
    });
    expect(preflight.status, await preflight.clone().text()).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("mcp-session-id");
    const params = { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "t", version: "1" } };
    const initialized = await rpc("/mcp", { jsonrpc: "2.0", id: 1, method: "initialize", params }, { origin: "https://chat.example.com" });
    expect(initialized.headers.get("mcp-session-id")).toBeTruthy();
    expect(initialized.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("mcp-session-id");
  });

  it("passes neither the caller's key nor their identity headers to an upstream", async () => {
    const client = await connect("/mcp", as("bob@example.com"));
    const result = await client.callTool({ name: "remote_request_headers", arguments: {} });
    const seen = JSON.stringify((result.structuredContent as { headers: unknown }).headers).toLowerCase();
    for (const secret of [API_KEY, SECRET, "bob@example.com", "x-user-email", "x-gateway-secret"]) expect(seen).not.toContain(secret.toLowerCase());
  });

  it("answers odd unicode names as unknown without losing the session", async () => {
    const client = await connect("/mcp", as("carol@example.com"));
    for (const name of ["alpha_echo\u0000", "ａlpha_echo", "alpha_\u202eohce", "💥".repeat(100)]) {
      const refused = await client.callTool({ name, arguments: {} }).catch((e: Error) => e);
      expect((refused as Error).message).toContain("Unknown tool");
    }
    expect((await client.callTool({ name: "alpha_echo", arguments: { message: "still here" } })).content).toEqual([{ type: "text", text: "still here" }]);
  });
});

// Last: it adds a tool to alpha, which the other tests' name lists do not expect.
describe("a tool named mcp", () => {
  it("is called through the MCP endpoints and named in /servers as having no OpenAPI path, since /{server}/mcp is taken", async () => {
    const client = await connect("/alpha/mcp", as("carol@example.com"));
    await client.callTool({ name: "add_tool", arguments: { name: "mcp" } });
    expect((await client.callTool({ name: "mcp", arguments: {} })).content).toEqual([{ type: "text", text: "dynamic mcp" }]);
    const alpha = (await (await stack.get("/servers", as("carol@example.com"))).json()).servers.find((s: any) => s.name === "alpha");
    expect(alpha.unlistedTools).toEqual([{ name: "mcp", reason: expect.stringContaining("MCP endpoint") }]);
    const spec = await (await stack.get("/alpha/openapi.json", as("carol@example.com"))).json();
    expect(spec.paths["/alpha/mcp"]).toBeUndefined();
  });
});
