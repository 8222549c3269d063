// The real Open WebUI (0.12.4) with the proxy as its tool server, provisioned exactly as
// docker-compose.yml does it (OpenAPI), plus the proxy's /mcp as a native MCP connection; each user
// identified by Open WebUI's signed JWT (gateway mode) and given their servers by PostgreSQL. Only
// the model is scripted: it calls the tool the test queues and repeats the result. A relay in front
// of the proxy records what Open WebUI sends and what the proxy answers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { freePort } from "../helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "../helpers/stack.ts";
import { composeOpenWebUiEnv, withMcpConnection } from "./compose-connection.ts";
import { MODEL_ID, startFakeModel, type FakeModel } from "./fake-model.ts";
import { startLoggingRelay, type LoggingRelay, type RecordedRequest } from "./logging-relay.ts";
import { startOpenWebUI, type Account, type ChatResult, type OpenWebUI } from "./open-webui.ts";

const KEY = "proxy-key-0123456789abcdef";
const JWT_SECRET = "forwarded-user-jwt-secret-0123456789abcdef";
const PASSWORD = "Passw0rd!open-webui";
/** The MCP connection's info.id: Open WebUI's tool id is server:mcp:<id>, the model's names <id>_<tool>. */
const MCP_ID = "proxy";
const MCP_TOOL_ID = `server:mcp:${MCP_ID}`;

let database: TestDatabase;
let stack: TestStack;
let relay: LoggingRelay;
let model: FakeModel;
let webui: OpenWebUI;
let ana: Account; // filesystem-users: the filesystem server
let bob: Account; // memory-users: the memory server

beforeAll(async () => {
  database = await createTestDatabase();
  // The bundled catalog as it ships (filesystem over catalog/sample, memory), and the edge server
  // for the schemas the reference servers do not have.
  const catalog = JSON.parse(readFileSync(join(ROOT, "catalog/mcp-servers.json"), "utf8"));
  catalog.mcpServers.edge = edgeStdio();
  stack = await startTestStack(catalog, {
    API_GATEWAY_MODE: "true",
    OPENWEBUI_JWT_SECRET: JWT_SECRET,
    MCP_API_KEY: KEY,
    DATABASE_URL: database.url,
    MCP_SAMPLE_DIR: join(ROOT, "catalog/sample"),
  });
  await withClient(database.url, (client) =>
    client.query(
      "INSERT INTO user_group_membership (user_email, group_name) VALUES ('ana@example.com', 'filesystem-users'), ('bob@example.com', 'memory-users')",
    ),
  );
  relay = await startLoggingRelay(await freePort(), stack.url);
  model = await startFakeModel(await freePort());
  const env = withMcpConnection(composeOpenWebUiEnv({ MCP_API_KEY: KEY, OPENWEBUI_JWT_SECRET: JWT_SECRET }, relay.url), relay.url, MCP_ID);
  webui = await startOpenWebUI({ port: await freePort(), modelUrl: model.url, env });
  const admin = await webui.client.signup("Ada Admin", "admin@example.com", PASSWORD);
  await webui.client.addUser(admin.token, "Ana", "ana@example.com", PASSWORD);
  await webui.client.addUser(admin.token, "Bob", "bob@example.com", PASSWORD);
  [ana, bob] = await Promise.all([webui.client.signin("ana@example.com", PASSWORD), webui.client.signin("bob@example.com", PASSWORD)]);
});

afterAll(async () => {
  await webui?.stop();
  await Promise.all([model?.close(), relay?.close(), stack?.stop()]);
  await database?.drop();
});

type Turn = ChatResult & { /** The function names the model was offered. */ offered: string[] };

/** One chat turn in which the model calls `tool` with `args`; turns run one at a time. */
let queue: Promise<unknown> = Promise.resolve();
function turn(user: Account, tool: string, args: Record<string, unknown>, toolIds = ["server:0"]): Promise<Turn> {
  const run = queue.then(async () => {
    model.queueToolCall({ name: tool, arguments: args });
    const since = model.requests.length;
    const result = await webui.client.chat(user.token, { model: MODEL_ID, toolIds, prompt: `Please use ${tool}` }).catch((error: Error) => {
      throw new Error(`${error.message}\n--- Open WebUI's log:\n${webui.log()}`);
    });
    return {
      ...result,
      offered:
        model.requests
          .slice(since)
          .find((request) => request.tools?.length)
          ?.tools?.map((t) => t.function.name) ?? [],
    };
  });
  queue = run.catch(() => {});
  return run;
}
const turns = new Map<string, Promise<Turn>>();
const once = (name: string, make: () => Promise<Turn>) => turns.get(name) ?? turns.set(name, make()).get(name)!;
const anaListsFiles = () => once("ana", () => turn(ana, "filesystem_list_directory", { path: "." }));
const bobListsFiles = () => once("bob-files", () => turn(bob, "filesystem_list_directory", { path: "." }));
const bobReadsMemory = () => once("bob-memory", () => turn(bob, "memory_read_graph", {}));
const viaMcp = (name: string) => `${MCP_ID}_${name}`;
const anaListsFilesOverMcp = () => once("ana-mcp", () => turn(ana, viaMcp("filesystem_list_directory"), { path: "." }, [MCP_TOOL_ID]));
const bobListsFilesOverMcp = () => once("bob-files-mcp", () => turn(bob, viaMcp("filesystem_list_directory"), { path: "." }, [MCP_TOOL_ID]));
const bobReadsMemoryOverMcp = () => once("bob-memory-mcp", () => turn(bob, viaMcp("memory_read_graph"), {}, [MCP_TOOL_ID]));

const callsTo = (path: string): RecordedRequest[] => relay.requests.filter((request) => request.method === "POST" && request.path === path);
const operationIds = (spec: { paths: Record<string, Record<string, { operationId?: string }>> }) =>
  Object.values(spec.paths)
    .flatMap((operations) => Object.values(operations).map((op) => op.operationId))
    .filter((id): id is string => !!id)
    .sort();

describe("Open WebUI 0.12.4, provisioned as docker-compose.yml does", () => {
  it("shows the connection to users who are not admins", async () => {
    expect(ana.role).toBe("user");
    expect((await webui.client.tools(ana.token)).map((tool) => tool.id)).toContain("server:0");
    expect((await webui.client.tools(bob.token)).map((tool) => tool.id)).toContain("server:0");
  });

  it("offers the model exactly the tools of the spec it fetched with the key", async () => {
    const { offered } = await anaListsFiles();
    const spec = await (await stack.get("/openapi.json", { authorization: `Bearer ${KEY}` })).json();
    expect(offered.sort()).toEqual(operationIds(spec));
    expect(offered).toEqual(expect.arrayContaining(["filesystem_list_directory", "memory_read_graph"]));
  });

  it("hands the model the bundled servers' schemas unchanged, and loses only the known parts of the edge server's", async () => {
    const { offered: _names } = await anaListsFiles();
    const request = model.requests.find((r) => r.tools?.length)!;
    const spec = await (await stack.get("/openapi.json", { authorization: `Bearer ${KEY}` })).json();
    const schemaOf = (name: string) => {
      for (const operations of Object.values(spec.paths as Record<string, Record<string, any>>)) {
        for (const operation of Object.values(operations)) if (operation.operationId === name) return operation.requestBody.content["application/json"].schema;
      }
    };
    const differences: string[] = [];
    for (const tool of request.tools!) {
      compareSchemas(schemaOf(tool.function.name), tool.function.parameters, tool.function.name, differences);
    }
    console.log(`what Open WebUI changed in the tools' schemas on the way to the model:\n${differences.join("\n") || "(nothing)"}`);
    expect(differences.filter((difference) => !difference.startsWith("edge_"))).toEqual([]);
    expect(differences).toEqual(KNOWN_LOSSES);
  });

  it("runs ana's tool call through the proxy as ana, and the result reaches the final message", async () => {
    const { reply } = await anaListsFiles();
    const [call] = callsTo("/filesystem/list_directory");
    expect(call).toMatchObject({ status: 200 });
    expect(JSON.parse(call!.body)).toEqual({ path: "." });
    expect(call!.headers["x-openwebui-user-jwt"]).toBeDefined();
    expect(reply.output).toContainEqual(expect.objectContaining({ type: "function_call", name: "filesystem_list_directory", status: "completed" }));
    expect(reply.content).toMatch(/^Tool result: /);
    expect(reply.content).toContain("README.md");
  });

  it("refuses bob a server outside his grants, and tells the model why", async () => {
    await anaListsFiles();
    const { reply } = await bobListsFiles();
    const refused = callsTo("/filesystem/list_directory").at(-1)!;
    expect(refused.status).toBe(403);
    expect(reply.content).toContain("You may not use server 'filesystem'");
    expect(reply.content).not.toContain("README.md");
  });

  it("runs bob's call to his own server", async () => {
    const { reply } = await bobReadsMemory();
    expect(callsTo("/memory/read_graph").at(-1)).toMatchObject({ status: 200 });
    expect(reply.content).toContain("entities");
  });

  it("gives the two users different tool lists from the proxy, though Open WebUI offers one list to every model", async () => {
    const signed = (user: Account) => callsTo(user === ana ? "/filesystem/list_directory" : "/memory/read_graph")[0]!.headers["x-openwebui-user-jwt"] as string;
    await Promise.all([anaListsFiles(), bobReadsMemory()]);
    const specAs = async (user: Account) =>
      operationIds(await (await stack.get("/openapi.json", { authorization: `Bearer ${KEY}`, "x-openwebui-user-jwt": signed(user) })).json());
    const [anas, bobs] = await Promise.all([specAs(ana), specAs(bob)]);
    expect(anas.every((id) => id.startsWith("filesystem_"))).toBe(true);
    expect(bobs.every((id) => id.startsWith("memory_"))).toBe(true);
    expect(anas.length).toBeGreaterThan(0);
    expect(bobs.length).toBeGreaterThan(0);
    // Open WebUI 0.12 fetches a global connection's spec once, with the key and no user
    // (utils/tools.py get_tool_servers_data): both models were offered the same list.
    expect((await bobListsFiles()).offered.sort()).toEqual((await anaListsFiles()).offered.sort());
    for (const fetch of relay.requests.filter((request) => request.path === "/openapi.json" && !request.headers["x-openwebui-user-jwt"])) {
      expect(fetch.headers.authorization).toBe(`Bearer ${KEY}`);
    }
  });
});

/** Open WebUI's requests to /mcp during one chat turn (each carries the chat's id), oldest first. */
const mcpTrafficOf = (turn: Turn): RecordedRequest[] =>
  relay.requests.filter((request) => request.path === "/mcp" && request.headers["x-openwebui-chat-id"] === turn.saved.id);
type JsonRpc = { id?: unknown; method?: string; params?: any; result?: any; error?: { code: number; message: string } };
const messageOf = (request: RecordedRequest): JsonRpc | undefined => (request.method === "POST" ? JSON.parse(request.body) : undefined);
/** The JSON-RPC answer in a recorded response: a JSON body, or the one answering event of an SSE stream. */
function answerOf(request: RecordedRequest): JsonRpc | undefined {
  const text = request.response.trim();
  if (text.startsWith("{")) return JSON.parse(text);
  const events = text.split(/\r?\n\r?\n/).flatMap((event) => {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trimStart())
      .join("\n");
    return data ? [JSON.parse(data) as JsonRpc] : [];
  });
  return events.find((event) => "result" in event || "error" in event);
}
/** The turn's tools/call request to /mcp. */
function toolCallOf(turn: Turn): RecordedRequest {
  const call = mcpTrafficOf(turn).find((request) => messageOf(request)?.method === "tools/call");
  if (!call)
    throw new Error(
      `no tools/call reached /mcp in chat ${turn.saved.id}; the turn's MCP requests: ${JSON.stringify(mcpTrafficOf(turn).map((r) => [r.method, r.body, r.status]))}`,
    );
  return call;
}
const jwtOf = (turn: Turn) => mcpTrafficOf(turn)[0]!.headers["x-openwebui-user-jwt"] as string;
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
const specAs = async (jwt: string) =>
  operationIds(await (await stack.get("/openapi.json", { authorization: `Bearer ${KEY}`, "x-openwebui-user-jwt": jwt })).json());

describe("Open WebUI 0.12.4 with the proxy's /mcp as a native MCP connection (type: mcp)", () => {
  it("shows the MCP connection to users who are not admins", async () => {
    expect((await webui.client.tools(ana.token)).map((tool) => tool.id)).toContain(MCP_TOOL_ID);
    expect((await webui.client.tools(bob.token)).map((tool) => tool.id)).toContain(MCP_TOOL_ID);
  });

  it("connects over Streamable HTTP in the 2026-07-28 revision for the chat turn, every request carrying the key and the user's signed JWT", async () => {
    const turn = await anaListsFilesOverMcp();
    const traffic = mcpTrafficOf(turn);
    console.log(
      `Open WebUI's requests to /mcp in one chat turn:\n${traffic
        .map((request) => `${request.method} ${messageOf(request)?.method ?? ""} ${request.headers["mcp-protocol-version"] ?? "-"} → ${request.status}`)
        .join("\n")}`,
    );
    const methods = traffic.map((request) => messageOf(request)?.method);
    // mcp 2.3.0's Client(mode="auto") probes the stateless 2026-07-28 revision first; the proxy
    // speaks it, so the whole turn stays in it: no initialize, no session.
    expect(methods[0]).toBe("server/discover");
    expect(methods).toEqual(expect.arrayContaining(["tools/list", "tools/call"]));
    expect(methods).not.toContain("initialize");
    for (const request of traffic) {
      expect(request.headers["mcp-protocol-version"]).toBe("2026-07-28");
      expect(request.headers["mcp-session-id"]).toBeUndefined();
      expect(answerOf(request)?.error).toBeUndefined();
    }
    for (const request of traffic) {
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(claimsOf(request.headers["x-openwebui-user-jwt"] as string)).toMatchObject({ sub: ana.id, email: "ana@example.com", iss: "open-webui" });
    }
  });

  it("offers each user's model only the tools the proxy lists for that user, named as in /openapi.json", async () => {
    const anas = await anaListsFilesOverMcp();
    const bobs = await bobReadsMemoryOverMcp();
    expect(anas.offered.sort()).toEqual((await specAs(jwtOf(anas))).map(viaMcp).sort());
    expect(bobs.offered.sort()).toEqual((await specAs(jwtOf(bobs))).map(viaMcp).sort());
    expect(anas.offered).toContain(viaMcp("filesystem_list_directory"));
    expect(anas.offered.every((name) => name.startsWith(viaMcp("filesystem_")))).toBe(true);
    expect(bobs.offered).toContain(viaMcp("memory_read_graph"));
    expect(bobs.offered.every((name) => name.startsWith(viaMcp("memory_")))).toBe(true);
  });

  it("runs ana's tool call through /mcp as ana, and the upstream's result reaches the final message", async () => {
    const turn = await anaListsFilesOverMcp();
    const call = toolCallOf(turn);
    expect(messageOf(call)!.params).toMatchObject({ name: "filesystem_list_directory", arguments: { path: "." } });
    expect(call.status).toBe(200);
    const answer = answerOf(call);
    expect(answer?.error).toBeUndefined();
    expect(answer?.result.isError ?? false).toBe(false);
    expect(JSON.stringify(answer?.result.content)).toContain("README.md");
    expect(turn.reply.output).toContainEqual(
      expect.objectContaining({ type: "function_call", name: viaMcp("filesystem_list_directory"), status: "completed" }),
    );
    expect(turn.reply.content).toMatch(/^Tool result: /);
    expect(turn.reply.content).toContain("README.md");
  });

  it("runs bob's call to his own server over MCP", async () => {
    const turn = await bobReadsMemoryOverMcp();
    const call = toolCallOf(turn);
    expect(messageOf(call)!.params).toMatchObject({ name: "memory_read_graph" });
    expect(claimsOf(call.headers["x-openwebui-user-jwt"] as string)).toMatchObject({ sub: bob.id, email: "bob@example.com" });
    expect(turn.reply.content).toContain("entities");
  });

  it("gives bob no way to ana's server: not offered, not called, and refused by the proxy with his own headers", async () => {
    const turn = await bobListsFilesOverMcp();
    expect(turn.offered).not.toContain(viaMcp("filesystem_list_directory"));
    expect(turn.reply.content).toContain(`Tool "${viaMcp("filesystem_list_directory")}" not found`);
    expect(turn.reply.content).not.toContain("README.md");
    expect(mcpTrafficOf(turn).filter((request) => messageOf(request)?.method === "tools/call")).toEqual([]);
    // The proxy itself, asked with exactly what Open WebUI sent for bob.
    const headers = { authorization: `Bearer ${KEY}`, "x-openwebui-user-jwt": jwtOf(turn) };
    const client = new Client({ name: "as-bob", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp`), { requestInit: { headers } }));
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("memory_read_graph");
      expect(names.filter((name) => !name.startsWith("memory_"))).toEqual([]);
      const outcome = await client.callTool({ name: "filesystem_list_directory", arguments: { path: "." } }).then(
        (result) => ({ refused: result.isError === true, said: JSON.stringify(result) }),
        (error: Error) => ({ refused: true, said: error.message }),
      );
      expect(outcome.refused).toBe(true);
      expect(outcome.said).not.toContain("README.md");
    } finally {
      await client.close();
    }
  });
});

/** What Open WebUI 0.12.4's converter loses of the edge server's schemas (docs/open-webui.md). */
const KNOWN_LOSSES = ["edge_strict.additionalProperties: false → undefined"];

/** Properties, types, required fields, enums, defaults and constraints of `sent` missing or changed in `received`. */
function compareSchemas(sent: any, received: any, where: string, out: string[]): void {
  if (!sent || typeof sent !== "object") return;
  if (!received || typeof received !== "object") return void out.push(`${where}: missing`);
  for (const key of ["type", "enum", "default", "required", "pattern", "minimum", "minLength", "additionalProperties", "anyOf", "oneOf"] as const) {
    if (sent[key] !== undefined && JSON.stringify(sent[key]) !== JSON.stringify(received[key]))
      out.push(`${where}.${key}: ${JSON.stringify(sent[key])} → ${JSON.stringify(received[key])}`);
  }
  for (const [name, property] of Object.entries((sent.properties ?? {}) as Record<string, unknown>)) {
    compareSchemas(property, received.properties?.[name], `${where}.${name}`, out);
  }
  if (sent.items) compareSchemas(sent.items, received.items, `${where}[]`, out);
}
