// What every stack-starting test would otherwise build again in each process it spawns, built once
// per run by the global setups: the edge server as one JavaScript file (no tsx compile at each start
// of a stdio server), and a PGlite data folder with the migrations applied (a fresh PGlite folder
// costs the bridge a cluster init, several seconds of CPU, at every start).
import { cpSync, existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "../../bridges/sql/migrate.ts";
import { openPglite } from "../../bridges/sql/pglite.ts";
import { bundleForNode } from "../../scripts/build-bridge.ts";
import { ROOT } from "../../scripts/stack.ts";

const BUILD_DIR = join(ROOT, ".build/test");
const EDGE_SERVER_SOURCE = join(ROOT, "test/servers/edge-server.ts");
const EDGE_SERVER_SOURCES = [EDGE_SERVER_SOURCE, join(ROOT, "test/servers/edge-fixtures.ts")];
const EDGE_SERVER_BUNDLE = join(BUILD_DIR, "edge-server.mjs");
const PGLITE_TEMPLATE = join(BUILD_DIR, "pglite-migrated");

export function buildEdgeServer(): void {
  bundleForNode(EDGE_SERVER_SOURCE, EDGE_SERVER_BUNDLE);
}

/** How to run the edge server: its bundle when a global setup built one from today's source, else the source through tsx. */
export function edgeServerCommand(): string[] {
  const fresh = existsSync(EDGE_SERVER_BUNDLE) && EDGE_SERVER_SOURCES.every((source) => statSync(source).mtimeMs <= statSync(EDGE_SERVER_BUNDLE).mtimeMs);
  return fresh ? [EDGE_SERVER_BUNDLE] : ["--import", "tsx", EDGE_SERVER_SOURCE];
}

export async function buildPgliteTemplate(): Promise<void> {
  rmSync(PGLITE_TEMPLATE, { recursive: true, force: true });
  const db = await openPglite(PGLITE_TEMPLATE, 30_000);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

/**
 * Puts a migrated PGlite folder where the bridge opens its embedded database (MCP_DATA_DIR/pglite),
 * as a bridge that has started once before leaves it. Does nothing without the template: the
 * bridge then makes its own, as on a first start.
 */
export function seedPglite(dataDir: string): void {
  if (existsSync(PGLITE_TEMPLATE)) cpSync(PGLITE_TEMPLATE, join(dataDir, "pglite"), { recursive: true });
}
