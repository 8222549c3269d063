import { requirePostgres } from "./helpers/requires.ts";

/** The schema tests make their own databases on the real PostgreSQL: say so up front if there is none. */
export default async function setup(): Promise<void> {
  await requirePostgres();
}
