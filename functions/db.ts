// SQL over HTTP to the bridge, with the Neon serverless driver. The bridge answers from its own
// pooled connection (or PGlite): the worker holds no database credentials, only the bridge token.
import { neon, neonConfig } from "@neondatabase/serverless";
import type { Env } from "./env.ts";

/** The driver needs a connection string; the bridge ignores it and uses its own DATABASE_URL. */
const VIA_BRIDGE = "postgresql://mcp-proxy@bridge/mcp";

export type Sql = ReturnType<typeof neon<false, false>>;

export function sqlFor(env: Env, timeoutMs: number): Sql {
  neonConfig.fetchEndpoint = `${env.BRIDGE_URL}/sql`;
  return neon(VIA_BRIDGE, { authToken: env.BRIDGE_TOKEN, fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } });
}
