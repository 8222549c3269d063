import { buildBridge, buildWorker } from "../scripts/stack.ts";
import { buildEdgeServer, buildPgliteTemplate } from "./helpers/prebuilt.ts";
import { requirePostgres } from "./helpers/requires.ts";

/**
 * One worker bundle and one bridge bundle for every test file, built as `npm start` builds them,
 * and the test fixtures built once (helpers/prebuilt.ts).
 */
export default async function setup(): Promise<void> {
  await requirePostgres();
  buildWorker();
  buildBridge();
  buildEdgeServer();
  await buildPgliteTemplate();
}
