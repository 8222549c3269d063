// The worker's routes: fixed ones described by chanfana, tool calls added per catalog.
import { fromHono } from "chanfana";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth/middleware.ts";
import { limitBody } from "./guards/body-limit.ts";
import { checkHost } from "./guards/hosts.ts";
import { checkOrigin } from "./guards/origins.ts";
import type { AppEnv } from "./env.ts";
import { ProxyError } from "./errors.ts";
import type { OpenApiDocument } from "./openapi/document.ts";
import { ADMIN_RESOURCES, changeRoute, listRoute } from "./routes/admin.ts";
import { docsAsset, docsPage } from "./routes/docs.ts";
import { Health } from "./routes/health.ts";
import { FullSpec, ServerSpec, TITLE } from "./routes/openapi.ts";
import { ListServers } from "./routes/servers.ts";
import { callTool } from "./routes/tool-call.ts";

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
  app.use("*", checkHost(), checkOrigin());
  const auth = authenticate();
  app.use("*", (c, next) => (c.req.path === "/health" ? next() : auth(c, next)));
  app.post("*", limitBody());

  openapi.get("/health", Health);
  openapi.get("/servers", ListServers);
  openapi.get("/openapi.json", FullSpec);
  openapi.get("/:server/openapi.json", ServerSpec);
  for (const resource of ADMIN_RESOURCES) {
    openapi.get(`/admin/${resource.name}`, listRoute(resource));
    openapi.post(`/admin/${resource.name}`, changeRoute(resource));
  }
  app.get("/docs", docsPage);
  app.get("/docs/:file", docsAsset);
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
