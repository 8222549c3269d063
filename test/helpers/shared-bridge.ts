// One real bridge, serving the edge server over stdio, for every in-process worker test: the worker
// runs inside workerd (the workers pool) and reaches it over loopback as it reaches the real one.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildBridge } from "../../scripts/build-bridge.ts";
import { createTestDatabase } from "./postgres.ts";
import { buildEdgeServer } from "./prebuilt.ts";
import { startBridge } from "./processes.ts";
import type {} from "./provided.ts";
import { edgeStdio } from "./stack.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildBridge();
  buildEdgeServer();
  const dir = mkdtempSync(join(tmpdir(), "mcp-proxy-worker-app-"));
  const catalog = join(dir, "catalog.json");
  writeFileSync(catalog, JSON.stringify({ mcpServers: { edge: edgeStdio() } }));
  // PostgreSQL rather than PGlite: these tests do not look at permissions, and it starts faster.
  const database = await createTestDatabase();
  const bridge = await startBridge({ MCP_CATALOG: catalog, MCP_DATA_DIR: dir, DATABASE_URL: database.url });
  project.provide("bridgeUrl", bridge.url);
  project.provide("bridgeToken", bridge.token);
  return async () => {
    await bridge.stop();
    await database.drop();
  };
}
