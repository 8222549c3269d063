// The proxy's SQL to the bridge (schema/bridge-sql.ts), with the bridge its settings name.
import { type Sql, sqlViaBridge } from "../schema/bridge-sql.ts";
import { type Env, settingsOf } from "./env.ts";

export type { Sql };

export function sqlFor(env: Env, timeoutMs: number): Sql {
  const { BRIDGE_URL, BRIDGE_TOKEN } = settingsOf(env);
  return sqlViaBridge(BRIDGE_URL, BRIDGE_TOKEN, timeoutMs);
}
