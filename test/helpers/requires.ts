// Suites that need a tool the README's commands do not install say so by name, instead of
// failing somewhere inside with "command not found".
import { spawnSync } from "node:child_process";
import pg from "pg";
import { POSTGRES_URL } from "./postgres.ts";

export interface Requirement {
  command: string;
  /** How to get it, shown when it is missing. */
  install: string;
}

export function requireCommands(suite: string, requirements: Requirement[]): void {
  const missing = requirements.filter(({ command }) => spawnSync("sh", ["-c", `command -v ${command}`]).status !== 0);
  if (missing.length === 0) return;
  throw new Error(`${suite} needs ${missing.map((m) => m.command).join(", ")}: ${[...new Set(missing.map((m) => m.install))].join("; ")}`);
}

export async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    const shown = POSTGRES_URL.replace(/\/\/[^@/]*@/, "//…@");
    throw new Error(
      `npm test needs a PostgreSQL server at ${shown} (TEST_POSTGRES_URL overrides it): ${(error as Error).message}. ` +
        "Install one (apt-get install postgresql, trust auth for local connections) or point TEST_POSTGRES_URL at a server where the user may create databases.",
    );
  } finally {
    await client.end().catch(() => {});
  }
}
