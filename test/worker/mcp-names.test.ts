// /mcp's namespacing: names that cannot collide across servers, and URIs that map back exactly.
import { describe, expect, it } from "vitest";
import { prefixContents } from "../../functions/mcp-endpoint/content.ts";
import { prefixedNames, prefixedUri, targetOfUri } from "../../functions/mcp-endpoint/names.ts";
import { pairKey } from "../../functions/openapi/operation-id.ts";

describe("resource URIs", () => {
  it.each([
    "file:///home/ana/notes.md",
    "demo://resource/dynamic/text/{resourceId}",
    "https://example.com/a?b=c#d",
    "weird:/x/mcp-proxy://other/y",
    "urn:isbn:0451450523",
    "line\nbreak://ü/%2F",
  ])("%s maps back to its server and itself", (uri) => {
    expect(targetOfUri(prefixedUri("github", uri))).toEqual({ server: "github", name: uri });
  });

  it("knows no server in a URI it did not make", () => {
    expect(targetOfUri("file:///etc/passwd")).toBeUndefined();
    expect(targetOfUri("mcp-proxy://github")).toBeUndefined();
    expect(targetOfUri("mcp-proxy:///x")).toBeUndefined();
  });

  it("prefixes links and embedded resources in results, and leaves other content alone", () => {
    const content = [
      { type: "text", text: "file:///x" },
      { type: "resource_link", uri: "file:///a", name: "a" },
      { type: "resource", resource: { uri: "file:///b", text: "b" } },
    ];
    expect(prefixContents("fs", content)).toEqual([
      { type: "text", text: "file:///x" },
      { type: "resource_link", uri: "mcp-proxy://fs/file:///a", name: "a" },
      { type: "resource", resource: { uri: "mcp-proxy://fs/file:///b", text: "b" } },
    ]);
  });
});

describe("tool and prompt names", () => {
  it("gives the same pair the same name whatever the order, and two servers' same tool two names", () => {
    const pairs = [
      { server: "a", name: "search" },
      { server: "b", name: "search" },
      { server: "a_search", name: "x" },
    ];
    const forward = prefixedNames(pairs);
    const backward = prefixedNames([...pairs].reverse());
    expect(forward).toEqual(backward);
    expect(forward.get(pairKey("a", "search"))).toBe("a_search");
    expect(new Set(forward.values()).size).toBe(3);
  });

  it("keeps names valid function names, at most 64 characters, when tools are long or odd", () => {
    const names = prefixedNames([
      { server: "github", name: "x".repeat(100) },
      { server: "github", name: "get.weather" },
      { server: "github", name: "名前" },
    ]);
    for (const name of names.values()) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
