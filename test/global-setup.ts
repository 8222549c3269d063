import { buildWorker } from "../scripts/stack.ts";

/** One worker bundle for every test file, built as `npm start` builds it. */
export default function setup(): void {
  buildWorker();
}
