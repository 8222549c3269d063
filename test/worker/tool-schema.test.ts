// Schema rewriting and operationIds, on their own (the whole-document checks are in openapi.test.ts).
import { describe, expect, it } from "vitest";
import { assignOperationIds, pairKey } from "../../functions/openapi/operation-id.ts";
import { rewriteSchema } from "../../functions/openapi/tool-schema.ts";

describe("rewriteSchema", () => {
  it("inlines draft-07 definitions and keeps the referencing node's own keywords", () => {
    const { schema, components } = rewriteSchema(
      { type: "object", definitions: { Id: { type: "string", format: "uuid" } }, properties: { id: { $ref: "#/definitions/Id", description: "the id" } } },
      "s_t",
    );
    expect(schema).toEqual({ type: "object", properties: { id: { type: "string", format: "uuid", description: "the id" } } });
    expect(components).toEqual({});
  });

  it("hoists a schema that refers to itself through '#'", () => {
    const { schema, components } = rewriteSchema({ type: "object", properties: { name: { type: "string" }, next: { $ref: "#" } } }, "s_list");
    expect(schema.properties).toMatchObject({ next: { $ref: "#/components/schemas/s_list_Root" } });
    expect(components.s_list_Root).toMatchObject({ properties: { name: { type: "string" } } });
  });

  it("resolves references to any local pointer, including escaped tokens", () => {
    const { schema } = rewriteSchema({ type: "object", properties: { "a/b": { type: "integer", enum: [1, 2] }, c: { $ref: "#/properties/a~1b" } } }, "x");
    expect((schema.properties as any).c).toEqual({ type: "integer", enum: [1, 2] });
  });

  it("keeps a reference it cannot resolve rather than dropping it", () => {
    const { schema } = rewriteSchema({ type: "object", properties: { a: { $ref: "#/$defs/Missing" }, b: { $ref: "https://example.com/s.json" } } }, "x");
    expect(schema.properties).toEqual({ a: { $ref: "#//$defs/Missing".replace("//", "/") }, b: { $ref: "https://example.com/s.json" } });
  });

  it("gives a tool with no schema an empty object schema", () => {
    expect(rewriteSchema(undefined, "x").schema).toEqual({ type: "object", properties: {} });
  });

  it("keeps defs of nested combinators (anyOf, allOf, items)", () => {
    const input = {
      type: "object",
      $defs: { N: { type: "number", minimum: 0 } },
      properties: { v: { anyOf: [{ $ref: "#/$defs/N" }, { type: "null" }] }, l: { type: "array", items: { allOf: [{ $ref: "#/$defs/N" }] } } },
    };
    const { schema } = rewriteSchema(input, "x");
    expect(schema.properties).toEqual({
      v: { anyOf: [{ type: "number", minimum: 0 }, { type: "null" }] },
      l: { type: "array", items: { allOf: [{ type: "number", minimum: 0 }] } },
    });
  });
});

describe("assignOperationIds", () => {
  const pairs = [
    { server: "github", tool: "search_repositories" },
    { server: "fs", tool: "read.file" },
    { server: "fs", tool: "read file" },
    { server: "srv", tool: "ü n i c ö d e" },
    { server: "x".repeat(48), tool: "y".repeat(120) },
    { server: "x".repeat(48), tool: `${"y".repeat(119)}z` },
  ];

  it("makes valid, unique OpenAI function names of at most 64 characters", () => {
    const ids = [...assignOperationIds(pairs).values()];
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps readable names when nothing clashes", () => {
    const ids = assignOperationIds(pairs);
    expect(ids.get(pairKey("github", "search_repositories"))).toBe("github_search_repositories");
    expect(ids.get(pairKey("srv", "ü n i c ö d e"))).toBe("srv_n_i_c_d_e");
  });

  it("gives the same ids whatever order the tools come in", () => {
    expect([...assignOperationIds([...pairs].reverse())].sort()).toEqual([...assignOperationIds(pairs)].sort());
  });
});
