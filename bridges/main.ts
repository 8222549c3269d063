// The bridge process: load the catalog, supervise stdio servers, serve the worker on a private address.
import { serve } from "@hono/node-server";
import { mkdirSync } from "node:fs";
import type { StdioServer } from "../schema/catalog/index.ts";
import { loadCatalog } from "./catalog.ts";
import { EXIT_REFUSED_CONFIGURATION, readBridgeConfig } from "./config.ts";
import { createBridgeApp } from "./http/app.ts";
import { BUNDLED_BIN_DIR } from "./paths.ts";
import { openDatabase, prepareSchema } from "./sql/open.ts";
import { StdioRegistry } from "./stdio/registry.ts";
import { serverRecords } from "./stdio/server-store.ts";

function readSetup() {
  try {
    const config = readBridgeConfig(process.env);
    mkdirSync(config.dataDir, { recursive: true });
    // ${MCP_DATA_DIR} in the catalog is the absolute data folder: a stdio server resolves a
    // relative path against its own working folder, not the proxy's.
    return { config, loaded: loadCatalog(config.catalogPath, { ...process.env, MCP_DATA_DIR: config.dataDir }) };
  } catch (error) {
    console.error(`[bridge] cannot start: ${(error as Error).message}`);
    process.exit(EXIT_REFUSED_CONFIGURATION);
  }
}

const { config, loaded } = readSetup();
const stdioServers = loaded.catalog.servers.filter((s): s is StdioServer => s.transport === "stdio");
const stdio = new StdioRegistry(stdioServers, loaded.dir, {
  binDirs: [BUNDLED_BIN_DIR],
  startTimeoutMs: 30_000,
  backoffMs: Number(process.env.BRIDGE_BACKOFF_MS) || 1_000,
  maxBackoffMs: 30_000,
  idleTimeoutSeconds: config.idleTimeoutSeconds,
  maxResultBytes: config.maxResultBytes,
  recordFor: serverRecords(config.dataDir),
});
const db = await openDatabase(config);
prepareSchema(db, config);
const app = createBridgeApp({ token: config.token, maxBodyBytes: config.maxBodyBytes, catalog: loaded.forWorker, stdio, db });
const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  const database = config.databaseUrl ? "PostgreSQL" : `PGlite in ${config.dataDir}`;
  console.error(
    `[bridge] listening on ${config.host}:${info.port} with ${stdioServers.length} stdio server(s) from ${loaded.catalog.file}; database: ${database}`,
  );
});
void stdio.discoverUnknown();

const shutdown = async () => {
  server.close();
  await Promise.all([stdio.stopAll(), db.close().catch(() => {})]);
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
