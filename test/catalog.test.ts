// The catalog parser shared by the worker and the bridge.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CatalogError, parseCatalog, toWorkerServer } from "../schema/catalog/index.ts";
import { ROOT } from "../scripts/stack.ts";

const parse = (catalog: unknown, env: Record<string, string> = {}) => parseCatalog(JSON.stringify(catalog), { file: "servers.json", env });
const failure = (catalog: unknown) => {
  try {
    parseCatalog(typeof catalog === "string" ? catalog : JSON.stringify(catalog), { file: "servers.json", env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as Error).message;
  }
  throw new Error("expected the catalog to be refused");
};

describe("parseCatalog", () => {
  it("reads stdio and remote servers in the mcpServers shape", () => {
    const { servers } = parse({
      mcpServers: {
        files: {
          command: "npx",
          args: ["-y", "server"],
          env: { A: "1" },
          cwd: "/srv",
          title: "Files",
          description: "d",
          timeoutMs: 5000,
          idleTimeoutSeconds: 0,
        },
        remote: { type: "streamable-http", url: "https://mcp.example.com/mcp", headers: { "X-Key": "k" } },
        legacy: { type: "sse", url: "http://localhost:9000/sse" },
      },
    });
    expect(servers).toEqual([
      {
        name: "files",
        title: "Files",
        description: "d",
        enabled: true,
        timeoutMs: 5000,
        transport: "stdio",
        command: "npx",
        args: ["-y", "server"],
        env: { A: "1" },
        cwd: "/srv",
        idleTimeoutSeconds: 0,
      },
      {
        name: "remote",
        title: "remote",
        description: "",
        enabled: true,
        timeoutMs: 60000,
        transport: "streamable-http",
        url: "https://mcp.example.com/mcp",
        headers: { "X-Key": "k" },
      },
      { name: "legacy", title: "legacy", description: "", enabled: true, timeoutMs: 60000, transport: "sse", url: "http://localhost:9000/sse", headers: {} },
    ]);
  });

  it("interpolates ${VAR} and ${VAR:-default} in commands, args, env, urls and headers", () => {
    const { servers } = parse(
      {
        mcpServers: {
          a: { command: "${BIN}", args: ["--dir", "${DIR:-/tmp}"], env: { TOKEN: "${TOKEN}" } },
          b: { type: "streamable-http", url: "https://${HOST}/mcp", headers: { Authorization: "Bearer ${TOKEN}" } },
        },
      },
      { BIN: "node", TOKEN: "t0k", HOST: "h.example" },
    );
    expect(servers[0]).toMatchObject({ command: "node", args: ["--dir", "/tmp"], env: { TOKEN: "t0k" }, enabled: true });
    expect(servers[1]).toMatchObject({ url: "https://h.example/mcp", headers: { Authorization: "Bearer t0k" }, enabled: true });
  });

  it("disables a server whose variables are unset or empty, naming them", () => {
    const { servers } = parse(
      { mcpServers: { github: { type: "streamable-http", url: "https://x/mcp", headers: { Authorization: "Bearer ${GITHUB_TOKEN}", X: "${OTHER}" } } } },
      { OTHER: "" },
    );
    expect(servers[0]).toMatchObject({ enabled: false, disabledReason: "needs GITHUB_TOKEN, OTHER (not set in the environment)" });
  });

  it("disables a server marked enabled: false, whatever its variables", () => {
    const { servers } = parse({ mcpServers: { m: { command: "x", enabled: false } } });
    expect(servers[0]).toMatchObject({ enabled: false, disabledReason: "disabled in the catalog" });
  });

  it("strips commands and their environment from what the worker sees", () => {
    const { servers } = parse({ mcpServers: { a: { command: "x", args: ["y"], env: { SECRET: "s" }, cwd: "/c" } } });
    expect(toWorkerServer(servers[0]!)).toEqual({ name: "a", title: "a", description: "", enabled: true, timeoutMs: 60000, transport: "stdio" });
  });

  it.each([
    [{ mcpServers: { a: { comand: "x" } } }, 'server "a": field "command"'],
    [{ mcpServers: { a: { command: "x", args: "y" } } }, 'server "a": field "args": Invalid input: expected array'],
    [{ mcpServers: { a: { type: "sse", url: "ftp://x" } } }, 'server "a": field "url": "ftp://x" is not an http(s) URL'],
    [{ mcpServers: { a: { type: "websocket", url: "ws://x" } } }, 'server "a": field "type": must be "stdio", "streamable-http" or "sse"'],
    [{ mcpServers: { a: { command: "x", env: { A: 1 } } } }, 'server "a": field "env.A"'],
    [{ mcpServers: { "bad name!": { command: "x" } } }, 'server "bad name!": the name must be'],
    [{ mcpServers: { health: { command: "x" } } }, 'server "health": the name is reserved'],
    [{ mcpServers: { portal: { command: "x" } } }, 'server "portal": the name is reserved'],
    [{ mcpServers: { Metrics: { command: "x" } } }, 'server "Metrics": the name is reserved'],
    [{ mcpServers: { a: { command: "x", timeoutMs: 5 } } }, 'server "a": field "timeoutMs"'],
    [{ mcpServers: { a: { command: "x", idleTimeoutSeconds: -1 } } }, 'server "a": field "idleTimeoutSeconds"'],
    [{ mcpServers: { a: { type: "sse", url: "http://x", idleTimeoutSeconds: 5 } } }, 'server "a": the entry: Unrecognized key: "idleTimeoutSeconds"'],
    [{ servers: {} }, 'servers.json: field "mcpServers"'],
    ['{"mcpServers": {', "servers.json: not valid JSON"],
  ])("refuses %j with a message naming file, server and field", (catalog, expected) => {
    const message = failure(catalog);
    expect(message).toContain("servers.json");
    expect(message).toContain(expected);
  });
});

describe("the catalogs in the repository", () => {
  it.each(["catalog/mcp-servers.json", "catalog/mcp-servers.example.json"])("%s parses", (file) => {
    const catalog = parseCatalog(readFileSync(join(ROOT, file), "utf8"), { file, env: {} });
    expect(catalog.servers.length).toBeGreaterThanOrEqual(2);
    expect(catalog.servers.find((s) => s.name === "filesystem")?.enabled).toBe(true);
  });

  it("the example disables github until GITHUB_TOKEN is set", () => {
    const text = readFileSync(join(ROOT, "catalog/mcp-servers.example.json"), "utf8");
    const without = parseCatalog(text, { file: "example", env: {} }).servers.find((s) => s.name === "github");
    expect(without).toMatchObject({ enabled: false, disabledReason: expect.stringContaining("GITHUB_TOKEN") });
    const withToken = parseCatalog(text, { file: "example", env: { GITHUB_TOKEN: "ghp_x" } }).servers.find((s) => s.name === "github");
    expect(withToken?.enabled).toBe(true);
  });
});
