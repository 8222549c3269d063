import { buildEdgeServer } from "./helpers/prebuilt.ts";
import { requirePostgres } from "./helpers/requires.ts";

/** The schema tests make their own databases on the real PostgreSQL: say so up front if there is none. */
export default async function setup(): Promise<void> {
  await requirePostgres();
  // The bridge's process tests spawn the edge server: once as a bundle, not through tsx each time.
  buildEdgeServer();
}
