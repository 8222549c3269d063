// The worker's routes: fixed ones described by chanfana, tool calls added per catalog.
import { fromHono, getSwaggerUI } from "chanfana";
import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { authenticate } from "./auth/middleware.ts";
import { numberSetting, type AppEnv } from "./env.ts";
import { ProxyError } from "./errors.ts";
import type { OpenApiDocument } from "./openapi/document.ts";
import { ADMIN_RESOURCES, changeRoute, listRoute } from "./routes/admin.ts";
import { Health } from "./routes/health.ts";
import { FullSpec, ServerSpec, TITLE } from "./routes/openapi.ts";
import { ListServers } from "./routes/servers.ts";
import { callTool } from "./routes/tool-call.ts";

const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const ROUTES = "GET /health, GET /servers, GET /openapi.json, GET /{server}/openapi.json, GET /docs, POST /{server}/{tool}, GET|POST /admin/{memberships,mappings,admins}";

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const openapi = fromHono(app, {
    openapi_url: null, // /openapi.json is ours: the fixed routes plus every tool
    docs_url: null,
    redoc_url: null,
    schema: { info: { title: TITLE, version: "0.1.0" } },
  });
  let fixed: OpenApiDocument | undefined;
  app.use("*", async (c, next) => {
    c.set("fixedDocument", () => (fixed ??= openapi.schema as OpenApiDocument));
    await next();
  });
  const auth = authenticate();
  app.use("*", (c, next) => (c.req.path === "/health" ? next() : auth(c, next)));
  app.post("*", (c, next) => bodyLimit({ maxSize: maxBodyBytes(c.env.MAX_BODY_BYTES), onError: tooLarge })(c, next));

  openapi.get("/health", Health);
  openapi.get("/servers", ListServers);
  openapi.get("/openapi.json", FullSpec);
  openapi.get("/:server/openapi.json", ServerSpec);
  for (const resource of ADMIN_RESOURCES) {
    openapi.get(`/admin/${resource.name}`, listRoute(resource));
    openapi.post(`/admin/${resource.name}`, changeRoute(resource));
  }
  app.get("/docs", (c) => c.html(getSwaggerUI("/openapi.json")));
  app.post("/:server/:tool", callTool);
  app.get("/:server/:tool", (c) => {
    c.header("allow", "POST");
    return c.json(new ProxyError(405, "method_not_allowed", `Tools are called with POST ${c.req.path}`).toJSON(), 405);
  });

  app.notFound((c) => c.json(new ProxyError(404, "not_found", `No route ${c.req.method} ${c.req.path}. Routes: ${ROUTES}`).toJSON(), 404));
  app.onError((error, c) => {
    if (error instanceof ProxyError) return c.json(error.toJSON(), error.status, error.headers);
    if (error instanceof HTTPException) return error.getResponse(); // chanfana's input validation: 400 with the field
    console.error(`[worker] ${c.req.method} ${c.req.path} failed:`, error);
    return c.json(new ProxyError(500, "internal_error", `Internal error: ${error.message}`).toJSON(), 500);
  });
  return app;
}

function maxBodyBytes(setting: string | undefined): number {
  return numberSetting(setting, DEFAULT_MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES;
}

/** Over this, an upload is cut off rather than read to its end. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

async function tooLarge(c: Context<AppEnv>): Promise<Response> {
  // Read the rest of the upload (up to a bound) before answering: a server that answers and closes
  // mid-upload resets the connection, and the client never sees the 413.
  await drain(c.req.raw.body, MAX_DRAIN_BYTES);
  return c.json(new ProxyError(413, "body_too_large", "The body is larger than this proxy accepts (MAX_BODY_BYTES)").toJSON(), 413);
}

async function drain(body: ReadableStream<Uint8Array> | null, limit: number): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read < limit) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } catch {
    // the client went away: nothing left to drain
  } finally {
    reader.releaseLock();
  }
}
