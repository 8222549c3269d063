// The MCP Inspector's CLI (@modelcontextprotocol/inspector-cli, pinned) against the proxy's MCP
// endpoints with a key set, as a user runs it:
//   npx @modelcontextprotocol/inspector-cli --cli http://<host>/mcp --transport http \
//     --header "Authorization: Bearer <MCP_API_KEY>" --method tools/list
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";
import { conformanceStdio } from "./helpers/conformance.ts";
import { edgeStdio, startTestStack, type TestStack } from "./helpers/stack.ts";

const KEY = "inspector-cli-test-key";
const INSPECTOR_CLI = join(ROOT, "node_modules/@modelcontextprotocol/inspector-cli/build/cli.js");

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ mcpServers: { conformance: conformanceStdio(), edge: edgeStdio() } }, { MCP_API_KEY: KEY });
  await stack.waitUntilHealthy();
});

afterAll(() => stack?.stop());

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The inspector's CLI mode against `path` on the stack; `key` goes in `--header` unless null. */
function inspect(path: string, args: string[], key: string | null = KEY): Promise<Result> {
  const header = key === null ? [] : ["--header", `Authorization: Bearer ${key}`];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [INSPECTOR_CLI, "--cli", `${stack.url}${path}`, "--transport", "http", ...header, ...args],
      // 1.0.3 picks the package.json it reads for its client name by whether ../package.json exists
      // relative to the working directory, then imports it relative to itself: from a folder whose
      // parent has none it fails (inspector issues 1334, 1503). A project subfolder, as users run it.
      { cwd: join(ROOT, "test"), timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const json = (result: Result) => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

describe("inspector-cli against /mcp", () => {
  it("lists the tools of every server, named <server>_<tool>", async () => {
    const { tools } = json(await inspect("/mcp", ["--method", "tools/list"]));
    const names = tools.map((tool: { name: string }) => tool.name);
    expect(names).toContain("conformance_test_simple_text");
    expect(names).toContain("edge_add");
    expect(names).toContain("edge_echo");
  });

  it("calls a tool and prints the upstream's result as it gave it", async () => {
    const result = json(await inspect("/mcp", ["--method", "tools/call", "--tool-name", "conformance_test_simple_text"]));
    expect(result.content).toEqual([{ type: "text", text: "This is a simple text response for testing." }]);
  });

  it("passes arguments typed by the tool's schema, and gets structuredContent back", async () => {
    const result = json(await inspect("/mcp", ["--method", "tools/call", "--tool-name", "edge_add", "--tool-arg", "a=2", "b=3"]));
    expect(result.structuredContent).toEqual({ sum: 5 });
    expect(result.content).toEqual([{ type: "text", text: "5" }]);
  });

  it("gets nowhere without the key, or with a wrong one", async () => {
    for (const key of [null, "wrong-key"]) {
      const result = await inspect("/mcp", ["--method", "tools/list"], key);
      expect(result.code, `key ${key}`).not.toBe(0);
      expect(result.stdout, `key ${key}`).not.toContain("conformance_test_simple_text");
      // Refused for the key, not for want of a route.
      expect(result.stderr, `key ${key}`).toMatch(/unauthenticated|401/i);
    }
  });
});

describe("inspector-cli against /{server}/mcp", () => {
  it("lists one server's tools under their own names", async () => {
    const { tools } = json(await inspect("/edge/mcp", ["--method", "tools/list"]));
    const names = tools.map((tool: { name: string }) => tool.name);
    expect(names).toContain("echo");
    expect(names).not.toContain("edge_echo");
    expect(names).not.toContain("test_simple_text");
  });

  it("calls a tool by its own name", async () => {
    const result = json(await inspect("/edge/mcp", ["--method", "tools/call", "--tool-name", "echo", "--tool-arg", "message=hello"]));
    expect(result.content).toEqual([{ type: "text", text: "hello" }]);
  });
});
