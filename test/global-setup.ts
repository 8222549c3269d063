import { buildBridge, buildWorker } from "../scripts/stack.ts";

/** One worker bundle and one bridge bundle for every test file, built as `npm start` builds them. */
export default function setup(): void {
  buildWorker();
  buildBridge();
}
