// The bridge's HTTP surface. Every route needs the worker's token.
import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { createHash, timingSafeEqual } from "node:crypto";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import type { BridgeMetrics } from "../../schema/bridge-metrics.ts";
import type { BridgeStatus } from "../../schema/bridge-status.ts";
import type { WorkerCatalog } from "../../schema/catalog/index.ts";
import type { Database } from "../sql/database.ts";
import { sqlHandler } from "../sql/endpoint.ts";
import { readJsonBody } from "./json-body.ts";
import { handleMcpPost } from "../stdio/mcp-endpoint.ts";
import type { StdioRegistry } from "../stdio/registry.ts";

export interface BridgeAppOptions {
  token: string;
  maxBodyBytes: number;
  catalog: WorkerCatalog;
  stdio: StdioRegistry;
  db: Database;
}

const STATUS_PING_TIMEOUT_MS = 300;
const MAX_SQL_BODY_BYTES = 1024 * 1024;

export function createBridgeApp({ token, maxBodyBytes, catalog, stdio, db }: BridgeAppOptions): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use("*", bearerAuth({ verifyToken: tokenVerifier(token) }));

  app.get("/catalog", (c) => c.json(catalog));
  app.post(
    "/sql",
    bodyLimit({ maxSize: MAX_SQL_BODY_BYTES, onError: (c) => c.json({ message: `query larger than ${MAX_SQL_BODY_BYTES} bytes` }, 413) }),
    sqlHandler(db),
  );
  app.get("/metrics", (c) => c.json({ servers: stdio.counts() } satisfies BridgeMetrics));
  app.get("/status", async (c) => c.json({ status: "ok", servers: await stdio.status(STATUS_PING_TIMEOUT_MS) } satisfies BridgeStatus));

  app.post("/servers/:name/mcp", async (c) => {
    const entry = stdio.get(c.req.param("name"));
    if (!entry) return c.json({ jsonrpc: "2.0", id: null, error: { code: -32000, message: `no enabled stdio server '${c.req.param("name")}'` } }, 404);
    const body = await readJsonBody(c, maxBodyBytes);
    if (!body.ok) return c.json({ jsonrpc: "2.0", id: null, error: { code: body.status === 413 ? -32600 : -32700, message: body.message } }, body.status);
    return handleMcpPost(entry.process, entry.sessions, { body: body.value, sessionId: c.req.header("mcp-session-id") });
  });
  app.delete("/servers/:name/mcp", (c) => {
    const closed = stdio.get(c.req.param("name"))?.sessions.close(c.req.header("mcp-session-id") ?? "");
    return c.body(null, closed ? 200 : 404);
  });
  app.get("/servers/:name/mcp", (c) => c.body(null, 405, { allow: "POST, DELETE" }));

  app.notFound((c) => c.json({ error: "not found" }, 404));
  return app;
}

/**
 * A constant-time check with Node's crypto. Hono's default hashes both sides with WebCrypto on
 * every request, which cost a fifth of the bridge's CPU under load (see bench/).
 */
function tokenVerifier(token: string): (given: string) => boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const expected = digest(token);
  return (given) => timingSafeEqual(digest(given), expected);
}
