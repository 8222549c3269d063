// The HTTP contract of the fixed routes, as a fuzzer sees it: methods a route does not have, and
// requests the published schema allows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/postgres.ts";
import { rawRequest } from "./helpers/raw-http.ts";
import { startTestStack, type TestStack } from "./helpers/stack.ts";

const API_KEY = "contract-key-0123456789abcdef";
const auth = { authorization: `Bearer ${API_KEY}` };

let database: TestDatabase;
let stack: TestStack;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startTestStack({ mcpServers: { memory: { command: "mcp-server-memory" } } }, { MCP_API_KEY: API_KEY, DATABASE_URL: database.url });
});

afterAll(async () => {
  await stack?.stop();
  await database?.drop();
});

/** node:http, not fetch: fetch refuses to send TRACE. */
async function send(method: string, path: string, body?: unknown) {
  const headers = body === undefined ? auth : { ...auth, "content-type": "application/json" };
  const response = await rawRequest(stack.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, allow: response.headers.allow, json: () => JSON.parse(response.body) };
}

describe("a method a route does not have", () => {
  it.each([
    ["TRACE", "/servers", "GET, HEAD"],
    ["PUT", "/health", "GET, HEAD"],
    ["DELETE", "/openapi.json", "GET, HEAD"],
    ["POST", "/servers", "GET, HEAD"],
    ["PATCH", "/memory/openapi.json", "GET, HEAD"],
    ["DELETE", "/admin/memberships", "GET, HEAD, POST"],
    ["PUT", "/admin/admins", "GET, HEAD, POST"],
    ["POST", "/docs", "GET, HEAD"],
    ["TRACE", "/memory/read_graph", "POST"],
    ["DELETE", "/memory/create_entities", "POST"],
  ])("%s %s → 405 with Allow: %s", async (method, path, allow) => {
    const response = await send(method, path);
    expect(response.status).toBe(405);
    expect(response.allow).toBe(allow);
    const body = response.json();
    expect(body.error.code).toBe("method_not_allowed");
    expect(body.error.message).toContain(method);
  });

  it("OPTIONS answers 204 with the route's methods", async () => {
    const response = await send("OPTIONS", "/servers");
    expect(response.status).toBe(204);
    expect(response.allow).toBe("GET, HEAD, OPTIONS");
  });

  it.each([
    ["TRACE", "/no/such/route"],
    ["PUT", "/nothing-here"],
    ["GET", "/admin/memberships/more"],
    ["DELETE", "/servers/more/than/that"],
  ])("%s %s, an unknown path, stays 404", async (method, path) => {
    const response = await send(method, path);
    expect(response.status).toBe(404);
    expect(response.json().error.code).toBe("not_found");
  });
});

describe("POST /admin/* with nothing to change", () => {
  it.each(["memberships", "mappings", "admins"])("the published schema allows {} for %s", async (resource) => {
    const document = (await send("GET", "/openapi.json")).json();
    const schema = document.paths[`/admin/${resource}`].post.requestBody.content["application/json"].schema;
    expect(schema.required ?? []).toEqual([]);
    expect(schema.minProperties ?? 0).toBe(0);
  });

  it.each([
    ["memberships", {}],
    ["mappings", {}],
    ["admins", {}],
    ["memberships", { add: [], remove: [] }],
  ])("POST /admin/%s with %j → 200, nothing changed, the rows as they are", async (resource, body) => {
    const before = (await send("GET", `/admin/${resource}`)).json();
    const response = await send("POST", `/admin/${resource}`, body);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ added: 0, removed: 0, ...before });
  });
});

describe("POST /admin/* with what the published schema allows", () => {
  it.each(["\u0000", "{", "not json", ""])("a body that is not JSON (%j) → 400 invalid_json, not a no-op", async (text) => {
    const response = await rawRequest(`${stack.url}/admin/memberships`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: text,
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe("invalid_json");
  });

  it("1,000 additions and 1,000 removals (the schema's maximum) in one request → 200", async () => {
    const items = Array.from({ length: 1_000 }, (_, i) => ({ email: `bulk${i}@example.com`, group: "bulk" }));
    const added = await send("POST", "/admin/memberships", { add: items, remove: items.map((item) => ({ ...item, group: "other" })) });
    expect(added.status).toBe(200);
    expect(added.json().memberships.filter((row: { group_name: string }) => row.group_name === "bulk")).toHaveLength(1_000);
    const removed = await send("POST", "/admin/memberships", { remove: items });
    expect(removed.status).toBe(200);
    expect(removed.json().memberships.filter((row: { group_name: string }) => row.group_name === "bulk")).toHaveLength(0);
  });

  it("the same item twice in one request is the item once", async () => {
    const twice = await send("POST", "/admin/admins", { add: [{ email: "twice@example.com" }, { email: "Twice@Example.com" }] });
    expect(twice.status).toBe(200);
    expect(twice.json().admins.filter((row: { user_email: string }) => row.user_email === "twice@example.com")).toHaveLength(1);
  });

  it("removing a mapping to a server no longer in the catalog is allowed; adding one is 400 naming it", async () => {
    expect((await send("POST", "/admin/mappings", { remove: [{ group: "g", server: "gone" }] })).status).toBe(200);
    const add = await send("POST", "/admin/mappings", { add: [{ group: "g", server: "gone" }] });
    expect(add.status).toBe(400);
    expect(add.json().error.message).toContain("gone");
  });
});
