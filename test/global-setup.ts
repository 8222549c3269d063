import { buildAuthService, buildBridge, buildWorker } from "../scripts/stack.ts";
import { buildEdgeServer, buildPgliteTemplate } from "./helpers/prebuilt.ts";
import { requirePostgres } from "./helpers/requires.ts";

/**
 * One bundle each of the worker, the auth service and the bridge for every test file, built as `npm start` builds them,
 * and the test fixtures built once (helpers/prebuilt.ts).
 */
export default async function setup(): Promise<void> {
  await requirePostgres();
  buildWorker();
  buildAuthService();
  buildBridge();
  buildEdgeServer();
  await buildPgliteTemplate();
}
