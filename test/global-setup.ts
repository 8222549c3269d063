import { buildBridge, buildWorker } from "../scripts/stack.ts";
import { requirePostgres } from "./helpers/requires.ts";

/** One worker bundle and one bridge bundle for every test file, built as `npm start` builds them. */
export default async function setup(): Promise<void> {
  await requirePostgres();
  buildWorker();
  buildBridge();
}
