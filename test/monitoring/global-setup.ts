import { buildBridge, buildWorker } from "../../scripts/stack.ts";
import { buildEdgeServer } from "../helpers/prebuilt.ts";
import { prometheusBinary } from "../helpers/prometheus.ts";
import { requirePostgres } from "../helpers/requires.ts";

/** The live monitoring test: PostgreSQL, the bundles as `npm start` builds them, and Prometheus (Debian's package). */
export default async function setup(): Promise<void> {
  await requirePostgres();
  prometheusBinary();
  buildWorker();
  buildBridge();
  buildEdgeServer();
}
