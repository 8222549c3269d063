// The bridge process: load the catalog, supervise stdio servers, serve the worker on a private address.
import { serve } from "@hono/node-server";
import { mkdirSync } from "node:fs";
import type { StdioServer } from "../schema/catalog/index.ts";
import { loadCatalog } from "./catalog.ts";
import { EXIT_REFUSED_CONFIGURATION, readBridgeConfig } from "./config.ts";
import { createBridgeApp } from "./http/app.ts";
import { log, setLogLevel } from "./log.ts";
import { BUNDLED_BIN_DIR } from "./paths.ts";
import { keepAuditFor } from "./sql/audit-retention.ts";
import { openDatabase, prepareSchema } from "./sql/open.ts";
import { StdioRegistry } from "./stdio/registry.ts";
import { serverRecords } from "./stdio/server-store.ts";

function readSetup() {
  try {
    const config = readBridgeConfig(process.env);
    setLogLevel(config.LOG_LEVEL);
    mkdirSync(config.MCP_DATA_DIR, { recursive: true });
    // ${MCP_DATA_DIR} in the catalog is the absolute data folder: a stdio server resolves a
    // relative path against its own working folder, not the proxy's.
    return { config, loaded: loadCatalog(config.MCP_CATALOG, { ...process.env, MCP_DATA_DIR: config.MCP_DATA_DIR }) };
  } catch (error) {
    log.error(`cannot start: ${(error as Error).message}`);
    process.exit(EXIT_REFUSED_CONFIGURATION);
  }
}

const { config, loaded } = readSetup();
const stdioServers = loaded.catalog.servers.filter((s): s is StdioServer => s.transport === "stdio");
const stdio = new StdioRegistry(stdioServers, loaded.dir, {
  binDirs: [BUNDLED_BIN_DIR],
  startTimeoutMs: 30_000,
  backoffMs: config.BRIDGE_BACKOFF_MS,
  maxBackoffMs: 30_000,
  idleTimeoutSeconds: config.STDIO_IDLE_TIMEOUT_SECONDS,
  maxResultBytes: config.MAX_RESULT_BYTES,
  recordFor: serverRecords(config.MCP_DATA_DIR),
});
const db = await openDatabase(config);
void prepareSchema(db, config).then(() => keepAuditFor(db, config.AUDIT_RETENTION_DAYS));
const app = createBridgeApp({ token: config.BRIDGE_TOKEN, maxBodyBytes: config.MAX_BODY_BYTES, catalog: loaded.forWorker, stdio, db });
const server = serve({ fetch: app.fetch, hostname: config.BRIDGE_HOST, port: config.BRIDGE_PORT }, (info) => {
  const database = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.MCP_DATA_DIR}`;
  log.info(`listening on ${config.BRIDGE_HOST}:${info.port} with ${stdioServers.length} stdio server(s) from ${loaded.catalog.file}; database: ${database}`);
});
void stdio.discoverUnknown();

const shutdown = async () => {
  server.close();
  await Promise.all([stdio.stopAll(), db.close().catch(() => {})]);
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
