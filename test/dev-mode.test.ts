// `npm run dev`: the same worker under `wrangler dev` (live reload) in front of the same bridge.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT, startStack, type Stack } from "../scripts/stack.ts";
import { freePort } from "./helpers/processes.ts";

let stack: Stack;
/** Relative, as a user would write it in .env: the bundled memory server must still find it. */
const DATA_DIR = `.build/dev-test-data-${process.pid}`;

beforeAll(async () => {
  stack = await startStack({
    port: await freePort(),
    bridgePort: await freePort(),
    catalog: join(ROOT, "catalog/mcp-servers.json"),
    env: { MCP_DATA_DIR: DATA_DIR },
    dev: true,
    stdio: "ignore",
  });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(join(ROOT, DATA_DIR), { recursive: true, force: true });
});

it("serves the bundled catalog's tools under wrangler dev", async () => {
  const response = await fetch(`${stack.url}/filesystem/read_text_file`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path: "notes/todo.txt" }),
  });
  expect(response.status).toBe(200);
  expect(JSON.stringify(await response.json())).toContain("Ship the proxy.");
  const doc = await (await fetch(`${stack.url}/openapi.json`)).json();
  expect(Object.keys(doc.paths)).toContain("/memory/create_entities");
});

it("writes and reads back with the bundled memory server under a relative MCP_DATA_DIR", async () => {
  const post = (tool: string, body: unknown) =>
    fetch(`${stack.url}/memory/${tool}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const created = await post("create_entities", { entities: [{ name: "dev-mode", entityType: "test", observations: ["kept"] }] });
  expect(created.status, await created.clone().text()).toBe(200);
  expect(JSON.stringify(await (await post("read_graph", {})).json())).toContain('"kept"');
  expect(readFileSync(join(ROOT, DATA_DIR, "memory.jsonl"), "utf8")).toContain("dev-mode");
});
