// The stack the admin portal's tests run against: gateway mode on a throwaway PostgreSQL, the edge
// server over stdio, ADMIN_EMAIL an admin, and the schema (audit table included) migrated.
import { createTestDatabase, type TestDatabase, withClient } from "./postgres.ts";
import { edgeStdio, startTestStack, type TestStack } from "./stack.ts";
import { until } from "./wait.ts";

export interface PortalStack {
  database: TestDatabase;
  stack: TestStack;
  /** Gateway headers naming `email`, proven with the stack's gateway secret. */
  as(email: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function startPortalStack(admin: string, secret: string): Promise<PortalStack> {
  const database = await createTestDatabase();
  const stack = await startTestStack(
    { mcpServers: { edge: edgeStdio() } },
    { DATABASE_URL: database.url, API_GATEWAY_MODE: "true", API_GATEWAY_SECRET: secret, ADMIN_EMAIL: admin },
  );
  await stack.waitUntilHealthy();
  await until(() => withClient(database.url, async (c) => (await c.query("SELECT to_regclass('tool_call_audit') AS t")).rows[0].t !== null), "the schema");
  return {
    database,
    stack,
    as: (email) => ({ "x-gateway-secret": secret, "x-user-email": email }),
    stop: async () => {
      await stack.stop();
      await database.drop();
    },
  };
}
