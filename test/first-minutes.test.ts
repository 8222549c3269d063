// A new user's first five minutes: `npm start` exactly as the README says, with none of the
// settings the other suites set (no MCP_DATA_DIR, no catalog, no key). The README's own curl
// commands work as written, and every write tool of the bundled catalog writes and reads back.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";
import { freePort } from "./helpers/processes.ts";
import { until } from "./helpers/wait.ts";

const SETTINGS = /^(MCP_|API_GATEWAY_|BRIDGE_|DATABASE_URL$|ALLOWED_HOSTS$|CORS_|OPENWEBUI_|ADMIN_|STDIO_|GRANTS_|TOOLS_TTL|MAX_BODY)/;
const MEMORY_FILE = join(ROOT, ".data/memory.jsonl");
const WRITE_DIR = `write-test-${process.pid}`;

let base: string;
let port: number;
let start: ChildProcess;
let output = "";
let memoryBefore: string | undefined;

beforeAll(async () => {
  memoryBefore = existsSync(MEMORY_FILE) ? readFileSync(MEMORY_FILE, "utf8") : undefined;
  port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTINGS.test(name)));
  start = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), BRIDGE_PORT: String(await freePort()) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [start.stdout, start.stderr]) stream?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  base = `http://localhost:${port}`;
  await until(async () => output.includes("MCP Proxy is up"), `npm start (${output.slice(-500)})`, 90_000);
}, 120_000);

afterAll(async () => {
  if (start?.pid) process.kill(-start.pid, "SIGTERM");
  await until(async () => start.exitCode !== null || start.signalCode !== null, "npm start to stop", 15_000).catch(() => process.kill(-start.pid!, "SIGKILL"));
  rmSync(join(ROOT, "catalog/sample", WRITE_DIR), { recursive: true, force: true });
  if (memoryBefore === undefined) rmSync(MEMORY_FILE, { force: true });
  else writeFileSync(MEMORY_FILE, memoryBefore);
});

/** The curl commands of a document's block that follows `heading`, one a line. */
function documentedCommands(file: string, heading: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const start = text.indexOf(heading);
  const block = start < 0 ? undefined : /```sh\n([\s\S]*?)```/.exec(text.slice(start))?.[1];
  if (!block) throw new Error(`${file} has no commands after "${heading}"`);
  return block.split("\n").filter((line) => line.startsWith("curl "));
}

function runAsWritten(command: string): string {
  const result = spawnSync("bash", ["-c", command.replaceAll("localhost:8000", `localhost:${port}`)], { encoding: "utf8" });
  expect(result.status, command).toBe(0);
  expect(result.stdout, command).not.toMatch(/^\{"error"/);
  expect(result.stdout.length, command).toBeGreaterThan(0);
  return result.stdout;
}

const call = async (tool: string, args: unknown) => {
  // What `curl -d` sends: the form type, not JSON's.
  const response = await fetch(`${base}/${tool}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  expect(response.status, `${tool}: ${text}`).toBe(200);
  return text;
};

describe("npm start with nothing set", () => {
  it("runs the README's commands as written", () => {
    const commands = documentedCommands("README.md", "Then try:");
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) runAsWritten(command);
  });

  it("runs docs/mcp.md's curl commands as written: JSON-RPC results, no errors", () => {
    const commands = documentedCommands("docs/mcp.md", "## Try it with curl");
    expect(commands.length).toBe(4); // the last one in the 2026-07-28 revision
    const [listed, ...called] = commands.map((command) => JSON.parse(runAsWritten(command)));
    expect(listed.result.tools.map((t: { name: string }) => t.name)).toContain("filesystem_list_directory");
    for (const answer of called) {
      expect(answer.error).toBeUndefined();
      expect(answer.result.isError).toBeFalsy();
      expect(JSON.stringify(answer.result.content)).toContain("[FILE]");
    }
  });

  it("writes with every write tool of the bundled filesystem server and reads it back", async () => {
    await call("filesystem/create_directory", { path: WRITE_DIR });
    await call("filesystem/write_file", { path: `${WRITE_DIR}/a.txt`, content: "first line\n" });
    await call("filesystem/edit_file", { path: `${WRITE_DIR}/a.txt`, edits: [{ oldText: "first", newText: "edited" }] });
    await call("filesystem/move_file", { source: `${WRITE_DIR}/a.txt`, destination: `${WRITE_DIR}/b.txt` });
    expect(await call("filesystem/read_text_file", { path: `${WRITE_DIR}/b.txt` })).toContain("edited line");
    expect(readFileSync(join(ROOT, "catalog/sample", WRITE_DIR, "b.txt"), "utf8")).toBe("edited line\n");
  });

  it("writes with every write tool of the bundled memory server, into .data, and reads it back", async () => {
    const graph = async () => JSON.stringify(JSON.parse(await call("memory/read_graph", {})));
    await call("memory/create_entities", {
      entities: [
        { name: "first-minutes-a", entityType: "test", observations: ["one"] },
        { name: "first-minutes-b", entityType: "test", observations: [] },
      ],
    });
    await call("memory/create_relations", { relations: [{ from: "first-minutes-a", to: "first-minutes-b", relationType: "knows" }] });
    await call("memory/add_observations", { observations: [{ entityName: "first-minutes-a", contents: ["two"] }] });
    expect(await graph()).toMatch(/"one","two".*"relationType":"knows"/);
    expect(readFileSync(MEMORY_FILE, "utf8")).toContain("first-minutes-a");
    await call("memory/delete_observations", { deletions: [{ entityName: "first-minutes-a", observations: ["one"] }] });
    await call("memory/delete_relations", { relations: [{ from: "first-minutes-a", to: "first-minutes-b", relationType: "knows" }] });
    expect(await graph()).not.toContain('"one"');
    expect(await graph()).not.toContain("knows");
    await call("memory/delete_entities", { entityNames: ["first-minutes-a", "first-minutes-b"] });
    expect(await graph()).not.toContain("first-minutes");
  });

  it("has no write tool those two tests leave out", async () => {
    const tested = [
      "create_directory",
      "write_file",
      "edit_file",
      "move_file",
      "create_entities",
      "create_relations",
      "add_observations",
      "delete_observations",
      "delete_relations",
      "delete_entities",
    ];
    const readOnly = [
      "read_file",
      "read_text_file",
      "read_media_file",
      "read_multiple_files",
      "list_directory",
      "list_directory_with_sizes",
      "directory_tree",
      "search_files",
      "get_file_info",
      "list_allowed_directories",
      "read_graph",
      "search_nodes",
      "open_nodes",
    ];
    const spec = await (await fetch(`${base}/openapi.json`)).json();
    const tools = Object.keys(spec.paths)
      .filter((path) => /^\/(filesystem|memory)\//.test(path))
      .map((path) => path.split("/")[2]);
    expect(tools.sort()).toEqual([...tested, ...readOnly].sort());
  });

  it("serves /docs with its own files", async () => {
    const page = await (await fetch(`${base}/docs`)).text();
    expect(page).toContain("docs/swagger-ui-bundle.js");
    expect((await fetch(`${base}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
