// `npm run dev`: the same worker under `wrangler dev` (live reload) in front of the same bridge.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT, startStack, type Stack } from "../scripts/stack.ts";
import { freePort } from "./helpers/processes.ts";

let stack: Stack;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mcp-proxy-dev-"));
  stack = await startStack({ port: await freePort(), bridgePort: await freePort(), catalog: join(ROOT, "catalog/mcp-servers.json"), env: { MCP_DATA_DIR: dataDir }, dev: true, stdio: "ignore" });
});
afterAll(() => stack?.stop());

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
