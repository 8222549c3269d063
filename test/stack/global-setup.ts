import { existsSync } from "node:fs";
import { buildAuthService, buildBridge, buildWorker } from "../../scripts/stack.ts";
import { CHROMIUM } from "../browser/chromium.ts";
import { requireCommands, requirePostgres } from "../helpers/requires.ts";

/** The journey runs the whole team stack: the bundles as `npm start` builds them, PostgreSQL, Chromium and curl. */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM)) requireCommands("npm run test:stack", [{ command: CHROMIUM, install: "apt-get install chromium (or set CHROMIUM_PATH)" }]);
  requireCommands("npm run test:stack", [{ command: "curl", install: "apt-get install curl" }]);
  await requirePostgres();
  buildWorker();
  buildAuthService();
  buildBridge();
}
