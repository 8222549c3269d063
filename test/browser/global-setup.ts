import { existsSync } from "node:fs";
import { buildBridge, buildWorker } from "../../scripts/stack.ts";
import { buildEdgeServer } from "../helpers/prebuilt.ts";
import { requireCommands } from "../helpers/requires.ts";
import { CHROMIUM } from "./chromium.ts";

export default function setup(): void {
  if (!existsSync(CHROMIUM)) requireCommands("npm run test:browser", [{ command: CHROMIUM, install: "apt-get install chromium (or set CHROMIUM_PATH)" }]);
  buildWorker();
  buildBridge();
  buildEdgeServer();
}
