// The audit trail against a real PostgreSQL: one row per call on either face, with the echoed
// request id; refusals and tool errors with their status and code; arguments only when asked for,
// redacted; rows kept while the database is away and written once it is back; the oldest dropped,
// and counted, past AUDIT_BUFFER_MAX.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type Relay, type TestDatabase, tcpRelay, withClient } from "./helpers/postgres.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { until } from "./helpers/wait.ts";

const SECRET = "audit-gateway-secret-0123456789";
const ADMIN = "root@example.com";

interface Setup {
  database: TestDatabase;
  relay: Relay;
  stack: TestStack;
}

let gateway: Setup; // gateway mode, the default audit
let operator: Setup; // no gateway, AUDIT_ARGUMENTS=true and a buffer of 3
let payloads: Setup; // no gateway, AUDIT_ARGUMENTS=true

async function setUp(env: Record<string, string>): Promise<Setup> {
  const database = await createTestDatabase();
  const url = new URL(database.url);
  const relay = await tcpRelay(url.hostname, Number(url.port));
  url.port = String(relay.port);
  const stack = await startTestStack({ mcpServers: { edge: edgeStdio() } }, { DATABASE_URL: url.toString(), ...env });
  await stack.waitUntilHealthy();
  await until(() => withClient(database.url, async (c) => (await c.query("SELECT to_regclass('tool_call_audit') AS t")).rows[0].t !== null), "the audit table");
  return { database, relay, stack };
}

beforeAll(async () => {
  [gateway, operator, payloads] = await Promise.all([
    setUp({ API_GATEWAY_MODE: "true", API_GATEWAY_SECRET: SECRET, ADMIN_EMAIL: ADMIN, GRANTS_TTL_SECONDS: "3600" }),
    setUp({ AUDIT_ARGUMENTS: "true", AUDIT_BUFFER_MAX: "3" }),
    setUp({ AUDIT_ARGUMENTS: "true" }),
  ]);
});

afterAll(async () => {
  for (const setup of [gateway, operator, payloads]) {
    await setup?.stack.stop();
    await setup?.relay.close();
    await setup?.database.drop();
  }
});

const as = (email: string, requestId: string) => ({ "x-gateway-secret": SECRET, "x-user-email": email, "x-request-id": requestId });

/** The rows with these request ids, once there are `count` of them. */
async function rowsOf({ database }: Setup, ids: string[], count = ids.length): Promise<Record<string, unknown>[]> {
  const query = () =>
    withClient(database.url, async (c) => (await c.query("SELECT * FROM tool_call_audit WHERE request_id = ANY($1) ORDER BY id", [ids])).rows);
  await until(async () => (await query()).length >= count, `${count} audit row(s) for ${ids.join(", ")}`, 10_000);
  await new Promise((done) => setTimeout(done, 200)); // a duplicate would show up by now
  return query();
}

const echo = (setup: Setup, headers: Record<string, string>, body: unknown = { message: "hi" }) => setup.stack.post("/edge/echo", body, headers);

describe("one row per call", () => {
  it("through OpenAPI: who, what, how it ended and the echoed request id; no arguments by default", async () => {
    const response = await echo(gateway, as(ADMIN, "audit-openapi-1"), { message: "my password is hunter2" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("audit-openapi-1");
    const rows = await rowsOf(gateway, ["audit-openapi-1"]);
    expect(rows).toEqual([
      expect.objectContaining({
        face: "openapi",
        caller: ADMIN,
        server: "edge",
        tool: "echo",
        status: 200,
        outcome: "ok",
        error_code: null,
        request_id: "audit-openapi-1",
        arguments: null,
        result: null,
      }),
    ]);
    expect(rows[0]!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(Math.abs(Date.now() - (rows[0]!.at as Date).getTime())).toBeLessThan(60_000);
  });

  it("through /mcp with the MCP SDK: the tool's own name and server, a tool error as 422 tool_error", async () => {
    const client = new Client({ name: "audit-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.stack.url}/mcp`), { requestInit: { headers: as(ADMIN, "audit-mcp-1") } }));
    try {
      expect(await client.callTool({ name: "edge_echo", arguments: { message: "hi" } })).toMatchObject({ content: [{ type: "text", text: "hi" }] });
      expect(await client.callTool({ name: "edge_fail", arguments: {} })).toMatchObject({ isError: true });
    } finally {
      await client.close();
    }
    const rows = await rowsOf(gateway, ["audit-mcp-1"], 2);
    expect(rows).toEqual([
      expect.objectContaining({ face: "mcp", caller: ADMIN, server: "edge", tool: "echo", status: 200, outcome: "ok", error_code: null }),
      expect.objectContaining({ face: "mcp", caller: ADMIN, server: "edge", tool: "fail", status: 422, outcome: "tool_error", error_code: "tool_error" }),
    ]);
  });

  it("for a refused call (403 forbidden) and a tool error through OpenAPI", async () => {
    expect((await echo(gateway, as("nobody@example.com", "audit-403"))).status).toBe(403);
    expect((await gateway.stack.post("/edge/fail", {}, as(ADMIN, "audit-422"))).status).toBe(422);
    expect(await rowsOf(gateway, ["audit-403", "audit-422"])).toEqual([
      expect.objectContaining({ caller: "nobody@example.com", server: "edge", tool: "echo", status: 403, outcome: "error", error_code: "forbidden" }),
      expect.objectContaining({ caller: ADMIN, server: "edge", tool: "fail", status: 422, outcome: "tool_error", error_code: "tool_error" }),
    ]);
  });
});

describe("in batches", () => {
  it("gathers the calls of a moment into one INSERT a quarter second, under steady load too", async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `audit-batch-${i}`);
    const started = Date.now();
    // Ten callers, each calling again as soon as answered: rows keep coming while a batch is written.
    const callers = Array.from({ length: 10 }, async (_, caller) => {
      for (let i = caller; i < ids.length; i += 10) await echo(gateway, as(ADMIN, ids[i]!));
    });
    await Promise.all(callers);
    const elapsedMs = Date.now() - started;
    await rowsOf(gateway, ids);
    // Each INSERT is its own transaction, so the rows' xmin tells them apart.
    const inserts = await withClient(gateway.database.url, async (c) => {
      const query = "SELECT count(DISTINCT xmin::text)::int AS n FROM tool_call_audit WHERE request_id = ANY($1)";
      return (await c.query(query, [ids])).rows[0].n as number;
    });
    // A round gathers for 250 ms before it writes: no more rounds than that allows, and one INSERT a round.
    expect(inserts).toBeLessThanOrEqual(Math.floor(elapsedMs / 250) + 2);
  });
});

describe("with AUDIT_ARGUMENTS=true", () => {
  it("stores the arguments and the result, the sensitive fields redacted at any depth", async () => {
    const args = { message: "hi", password: "hunter2", nested: { list: [{ API_KEY: "k-123" }], keep: 1 } };
    expect((await echo(operator, { "x-request-id": "audit-args-1" }, args)).status).toBe(200);
    const [row] = await rowsOf(operator, ["audit-args-1"]);
    expect(row).toMatchObject({ caller: "operator", status: 200 });
    expect(row!.arguments).toEqual({ message: "hi", password: "[redacted]", nested: { list: [{ API_KEY: "[redacted]" }], keep: 1 } });
    expect(row!.result).toEqual({ content: [{ type: "text", text: "hi" }] });
    expect(JSON.stringify(row)).not.toMatch(/hunter2|k-123/);
  });

  it("writes many large payloads gathered at once, in batches the bridge accepts", async () => {
    // Quotes cost the most once in an array literal inside the driver's JSON: 30,000 of them is
    // about 60,000 stored characters each for the arguments and the result, ~480 KB a row on the wire.
    const message = '"'.repeat(30_000);
    const ids = Array.from({ length: 12 }, (_, i) => `audit-large-${i}`);
    const answers = await Promise.all(ids.map((id) => echo(payloads, { "x-request-id": id }, { message })));
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
    const rows = await rowsOf(payloads, ids);
    expect(rows.map((row) => row.request_id).sort()).toEqual([...ids].sort());
    for (const row of rows) expect(row.arguments).toEqual({ message });
  });
});

describe("while the database is away", () => {
  it("keeps every row and writes them once it is back; the calls are answered meanwhile", async () => {
    const ids = ["audit-cut-1", "audit-cut-2", "audit-cut-3"];
    gateway.relay.cut();
    try {
      for (const id of ids) expect((await echo(gateway, as(ADMIN, id))).status).toBe(200);
      await new Promise((done) => setTimeout(done, 1_000));
      const written = await withClient(
        gateway.database.url,
        async (c) => (await c.query("SELECT count(*)::int AS n FROM tool_call_audit WHERE request_id = ANY($1)", [ids])).rows[0].n,
      );
      expect(written).toBe(0); // the worker's writes go through the cut relay: nothing reached the table
      expect(gateway.stack.output()).toContain('"audit_write_failed"');
    } finally {
      gateway.relay.restore();
    }
    expect((await echo(gateway, as(ADMIN, "audit-cut-4"))).status).toBe(200);
    const rows = await rowsOf(gateway, [...ids, "audit-cut-4"]);
    expect(rows.map((row) => row.request_id).sort()).toEqual([...ids, "audit-cut-4"]);
  });

  it("past AUDIT_BUFFER_MAX drops the oldest rows and counts them", async () => {
    const ids = ["audit-buf-1", "audit-buf-2", "audit-buf-3", "audit-buf-4", "audit-buf-5"];
    operator.relay.cut();
    try {
      for (const id of ids) expect((await echo(operator, { "x-request-id": id })).status).toBe(200);
      await new Promise((done) => setTimeout(done, 1_000));
    } finally {
      operator.relay.restore();
    }
    expect((await echo(operator, { "x-request-id": "audit-buf-6" })).status).toBe(200);
    const rows = await rowsOf(operator, [...ids, "audit-buf-6"], 3);
    expect(rows.map((row) => row.request_id)).toEqual(["audit-buf-4", "audit-buf-5", "audit-buf-6"]);
    await until(async () => operator.stack.output().includes('"audit_write_resumed"'), "the resumed line");
    const resumed = operator.stack
      .output()
      .split("\n")
      .find((line) => line.includes('"audit_write_resumed"'))!;
    expect(JSON.parse(resumed.slice(resumed.indexOf("{")))).toMatchObject({ dropped: 3 });
  });
});
