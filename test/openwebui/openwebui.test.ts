// The real Open WebUI (0.12.4) with the proxy as its one tool server, provisioned exactly as
// docker-compose.yml does it, each user identified by Open WebUI's signed JWT (gateway mode) and
// given their servers by PostgreSQL. Only the model is scripted: it calls the tool the test queues
// and repeats the result. A relay in front of the proxy records what Open WebUI sends.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { freePort } from "../helpers/processes.ts";
import { edgeStdio, startTestStack, type TestStack } from "../helpers/stack.ts";
import { composeOpenWebUiEnv } from "./compose-connection.ts";
import { MODEL_ID, startFakeModel, type FakeModel } from "./fake-model.ts";
import { startLoggingRelay, type LoggingRelay, type RecordedRequest } from "./logging-relay.ts";
import { startOpenWebUI, type Account, type ChatResult, type OpenWebUI } from "./open-webui.ts";

const KEY = "proxy-key-0123456789abcdef";
const JWT_SECRET = "forwarded-user-jwt-secret-0123456789abcdef";
const PASSWORD = "Passw0rd!open-webui";

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
  const env = composeOpenWebUiEnv({ MCP_API_KEY: KEY, OPENWEBUI_JWT_SECRET: JWT_SECRET }, relay.url);
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
function turn(user: Account, tool: string, args: Record<string, unknown>): Promise<Turn> {
  const run = queue.then(async () => {
    model.queueToolCall({ name: tool, arguments: args });
    const since = model.requests.length;
    const result = await webui.client.chat(user.token, { model: MODEL_ID, toolIds: ["server:0"], prompt: `Please use ${tool}` }).catch((error: Error) => {
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
