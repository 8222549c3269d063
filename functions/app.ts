// The worker's routes: fixed ones described by chanfana, tool calls added per catalog.
import { ApiException, fromHono } from "chanfana";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { authenticate } from "./auth/middleware.ts";
import { limitBody } from "./guards/body-limit.ts";
import { checkHost } from "./guards/hosts.ts";
import { checkOrigin } from "./guards/origins.ts";
import { type AppEnv, checkSettings } from "./env.ts";
import { invalidInput, ProxyError } from "./errors.ts";
import { logFailure } from "./log.ts";
import type { OpenApiDocument } from "./openapi/document.ts";
import { requestId } from "./calls/request-id.ts";
import { ADMIN_RESOURCES, changeRoute, listRoute } from "./routes/admin.ts";
import { docsAsset, docsPage } from "./routes/docs.ts";
import { addPortal } from "./portal/routes.tsx";
import { allServers, MCP_METHODS, oneServer } from "./mcp-endpoint/route.ts";
import { answerOtherMethods } from "./routes/methods.ts";
import { observeCalls } from "./metrics/call-metrics.ts";
import { metricsPage } from "./routes/metrics.ts";
import { Health } from "./routes/health.ts";
import { FullSpec, ServerSpec, TITLE } from "./routes/openapi.ts";
import { ListServers } from "./routes/servers.ts";
import { callTool } from "./routes/tool-call.ts";

const ROUTES =
  "GET /health, GET /servers, GET /openapi.json, GET /{server}/openapi.json, GET /docs, GET /metrics, POST /{server}/{tool}, GET|POST|DELETE /mcp and /{server}/mcp, GET|POST /admin/{memberships,mappings,admins}, GET /portal (the admin portal)";

export function createApp(): Hono<AppEnv> {
  observeCalls();
  const app = new Hono<AppEnv>();
  const openapi = fromHono(app, {
    openapi_url: null, // /openapi.json is ours: the fixed routes plus every tool
    docs_url: null,
    redoc_url: null,
    schema: { info: { title: TITLE, version: "0.1.0" } },
    passthroughErrors: true, // its input errors reach onError, to be answered in the proxy's one error shape
  });
  let fixed: OpenApiDocument | undefined;
  app.use("*", requestId());
  app.use("*", async (c, next) => {
    c.set("fixedDocument", () => (fixed ??= openapi.schema as OpenApiDocument));
    await next();
  });
  app.use("*", checkSettings(), checkHost(), checkOrigin());
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
  app.get("/metrics", metricsPage);
  addPortal(app);
  // Before the tool calls: POST /{server}/mcp is the server's MCP endpoint, not a tool named "mcp".
  app.on(MCP_METHODS, "/mcp", allServers);
  app.on(MCP_METHODS, "/:server/mcp", oneServer);
  app.post("/:server/:tool", callTool);
  answerOtherMethods(app);

  app.notFound((c) => c.json(new ProxyError(404, "not_found", `No route ${c.req.method} ${c.req.path}. Routes: ${ROUTES}`).toJSON(), 404));
  app.onError((error, c) => {
    if (error instanceof ProxyError) {
      // The caller gets the message; the operator gets why, for a failure that is the proxy's side.
      if (error.status >= 500 && error.cause !== undefined) logFailure(error.code, `${c.req.method} ${c.req.path}`, error);
      return c.json(error.toJSON(), error.status, error.headers);
    }
    if (error instanceof z.ZodError || error instanceof ApiException) {
      const invalid = invalidInput(error);
      return c.json(invalid.toJSON(), invalid.status);
    }
    if (error instanceof HTTPException) return error.getResponse();
    logFailure("internal_error", `${c.req.method} ${c.req.path}`, error);
    return c.json(new ProxyError(500, "internal_error", `Internal error: ${error.message}`).toJSON(), 500);
  });
  return app;
}
