// The OpenAPI documents the proxy serves: valid OpenAPI 3.1, every tool at POST /{server}/{tool},
// and schemas that survive Open WebUI's reader with nothing dropped.
import { Validator } from "@seriousme/openapi-schema-validator";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";
import { LONG_TOOL_NAME } from "./servers/edge-fixtures.ts";

let stack: TestStack;
let doc: any;

beforeAll(async () => {
  stack = await startTestStack({
    mcpServers: {
      filesystem: { command: "mcp-server-filesystem", args: [join(ROOT, "catalog/sample")] },
      edge: edgeStdio(),
      twin: edgeStdio({ description: "A second copy: same tool names, other server" }),
      memory: { command: "mcp-server-memory", env: { MEMORY_FILE_PATH: join(ROOT, ".data/test-memory.jsonl") } },
      github: { type: "streamable-http", url: "https://api.githubcopilot.com/mcp/", headers: { Authorization: "Bearer ${UNSET_TOKEN_FOR_SPEC}" } },
    },
  });
  await stack.waitUntilHealthy();
  doc = await (await stack.get("/openapi.json")).json();
});

afterAll(() => stack?.stop());

/** Paths of tool calls: every POST but the admin API's. */
const toolPaths = (document: any) => Object.keys(document.paths).filter((p) => document.paths[p].post && !p.startsWith("/admin/"));

/** What Open WebUI does with a tool server's spec: resolve #/components refs, read the JSON body schema. */
function openWebUiView(document: any, path: string): any {
  const resolve = (node: any, seen: string[] = []): any => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, seen));
    if (!node || typeof node !== "object") return node;
    if (typeof node.$ref === "string") {
      expect(node.$ref.startsWith("#/components/")).toBe(true);
      if (seen.includes(node.$ref)) return { recursive: node.$ref };
      const target = node.$ref
        .slice(2)
        .split("/")
        .reduce((at: any, key: string) => at?.[key], document);
      expect(target, node.$ref).toBeDefined();
      return resolve(target, [...seen, node.$ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, seen)]));
  };
  return resolve(document.paths[path].post.requestBody.content["application/json"].schema);
}

describe("/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("has every enabled server's tools at POST /{server}/{tool}, and the fixed routes", async () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toContain("/filesystem/list_directory");
    expect(paths).toContain("/memory/create_entities");
    expect(paths).toContain("/edge/echo");
    expect(paths).toContain("/twin/echo");
    expect(paths).toContain("/edge/get.weather");
    expect(paths).toContain("/edge/name%20with%20spaces");
    expect(paths.some((p) => p.startsWith("/github/"))).toBe(false);
    for (const fixed of ["/health", "/servers", "/openapi.json", "/{server}/openapi.json", "/admin/memberships", "/admin/mappings", "/admin/admins"]) {
      expect(doc.paths[fixed]?.get, fixed).toBeDefined();
      // Open WebUI would offer anything with an operationId to the model as a tool.
      expect(doc.paths[fixed].get.operationId, fixed).toBeUndefined();
      expect(doc.paths[fixed].post?.operationId, fixed).toBeUndefined();
    }
    const servers = await (await stack.get("/servers")).json();
    const toolCount = servers.servers.filter((s: any) => s.enabled).reduce((n: number, s: any) => n + s.toolCount, 0);
    expect(toolPaths(doc).length).toBe(toolCount);
  });

  it("gives every tool a unique operationId that is a valid OpenAI function name", () => {
    const ids = toolPaths(doc).map((path) => doc.paths[path].post.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths["/edge/get.weather"].post.operationId).toBe("edge_get_weather");
    expect(doc.paths["/twin/echo"].post.operationId).toBe("twin_echo");
    expect(doc.paths[`/edge/${LONG_TOOL_NAME}`].post.operationId.length).toBeLessThanOrEqual(64);
  });

  it("keeps operationIds stable across requests", async () => {
    const again = await (await stack.get("/openapi.json")).json();
    const ids = (d: any) => Object.entries(d.paths).map(([path, item]: [string, any]) => `${path}=${item.post?.operationId}`);
    expect(ids(again)).toEqual(ids(doc));
  });

  it("serves the cached document whole, the same bytes each time", async () => {
    const texts = await Promise.all([1, 2, 3].map(async () => (await stack.get("/openapi.json")).text()));
    expect(texts[0]!.length).toBeGreaterThan(1_000);
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    expect(JSON.parse(texts[2]!).paths).toEqual(doc.paths);
  });

  it("rewrites $defs and $ref so Open WebUI's reader sees every property, enum, default and description", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain("$defs");
    expect(text).not.toMatch(/"\$ref":"#\/(?!components\/)/);
    const schema = openWebUiView(doc, "/edge/complex");
    expect(schema.required).toEqual(["customer", "items"]);
    expect(schema.description).toBe("An order with nested parts");
    const customer = schema.properties.customer;
    expect(customer.required).toEqual(["name", "shipping"]);
    expect(customer.properties.name).toEqual({ type: "string", minLength: 1 });
    expect(customer.properties.shipping.properties.city).toEqual({ type: "string", description: "City name" });
    expect(customer.properties.shipping.properties.zip.pattern).toBe("^[0-9]{5}$");
    expect(customer.properties.shipping.required).toEqual(["city"]);
    expect(customer.properties.billing.description).toBe("Where the bill goes");
    expect(customer.properties.billing.properties.street).toEqual({ type: "string" });
    expect(schema.properties.items.description).toBe("Order lines");
    expect(schema.properties.items.items.required).toEqual(["sku"]);
    expect(schema.properties.items.items.properties.quantity).toEqual({ type: "integer", minimum: 1, default: 1 });
    expect(schema.properties.priority).toEqual({ type: "string", enum: ["low", "normal", "high"], default: "normal", description: "How urgent" });
    expect(schema.properties.note).toEqual({ type: ["string", "null"] });
    // The recursive type is hoisted to components and referenced from inside itself.
    expect(schema.properties.category.properties.name).toEqual({ type: "string" });
    expect(schema.properties.category.properties.children.items.properties.children.items).toEqual({
      recursive: expect.stringMatching(/^#\/components\/schemas\/edge_complex/),
    });
  });

  it("describes the result with the tool's output schema", () => {
    const ok = doc.paths["/edge/add"].post.responses["200"].content["application/json"].schema;
    expect(ok).toMatchObject({ type: "object", properties: { sum: { type: "number" } }, required: ["sum"] });
    expect(doc.paths["/edge/add"].post.description).toBe("Adds two numbers");
  });
});

describe("/{server}/openapi.json", () => {
  it("describes one server's tools and the fixed routes", async () => {
    const one = await (await stack.get("/edge/openapi.json")).json();
    expect((await new Validator().validate(one)).valid).toBe(true);
    const paths = toolPaths(one);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.every((p) => p.startsWith("/edge/"))).toBe(true);
    expect(one.paths["/health"]).toBeDefined();
    expect(one.paths["/edge/echo"].post.operationId).toBe(doc.paths["/edge/echo"].post.operationId);
  });

  it("answers 404 naming the servers for an unknown one, 503 with the reason for a disabled one", async () => {
    const unknown = await stack.get("/nope/openapi.json");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toContain("edge");
    const disabled = await stack.get("/github/openapi.json");
    expect(disabled.status).toBe(503);
    expect((await disabled.json()).error.message).toContain("UNSET_TOKEN_FOR_SPEC");
  });
});
