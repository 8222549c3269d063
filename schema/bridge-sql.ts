// SQL over HTTP to the bridge's /sql with the Neon serverless driver, for the workers (the proxy and
// the auth service): the bridge answers from its own pooled connection (or PGlite), so a worker
// holds no database credentials, only the bridge token.
import { neon, neonConfig } from "@neondatabase/serverless";

/** The driver needs a connection string; the bridge ignores it and uses its own DATABASE_URL. */
const VIA_BRIDGE = "postgresql://mcp-proxy@bridge/mcp";

export type Sql = ReturnType<typeof neon<false, false>>;

export function sqlViaBridge(bridgeUrl: string, bridgeToken: string, timeoutMs: number): Sql {
  // The driver's endpoint is global to the isolate; BRIDGE_URL is fixed per isolate.
  neonConfig.fetchEndpoint = `${bridgeUrl}/sql`;
  return neon(VIA_BRIDGE, { authToken: bridgeToken, fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } });
}
