// SQL over HTTP to the bridge, with the Neon serverless driver. The bridge answers from its own
// pooled connection (or PGlite): the worker holds no database credentials, only the bridge token.
import { neon, neonConfig } from "@neondatabase/serverless";
import { type Env, settingsOf } from "./env.ts";

/** The driver needs a connection string; the bridge ignores it and uses its own DATABASE_URL. */
const VIA_BRIDGE = "postgresql://mcp-proxy@bridge/mcp";

export type Sql = ReturnType<typeof neon<false, false>>;

/** The driver's endpoint is global to the isolate: set when first seen (BRIDGE_URL is fixed per isolate). */
let endpoint: string | undefined;

export function sqlFor(env: Env, timeoutMs: number): Sql {
  const { BRIDGE_URL, BRIDGE_TOKEN } = settingsOf(env);
  if (endpoint !== `${BRIDGE_URL}/sql`) {
    endpoint = `${BRIDGE_URL}/sql`;
    neonConfig.fetchEndpoint = endpoint;
  }
  return neon(VIA_BRIDGE, { authToken: BRIDGE_TOKEN, fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } });
}
