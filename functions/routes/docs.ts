// GET /docs: Swagger UI for /openapi.json, its script and styles served by the proxy itself (no
// CDN: the page works offline). The files come from the swagger-ui-dist package through the
// DOCS_ASSETS binding: wrangler's assets under `wrangler dev`, a disk service under workerd.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";

/** The only files the page needs; nothing else of the package is reachable. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

// Relative URLs, so the page works behind a proxy that serves it under a path prefix.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MCP Proxy – API</title>
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true });</script>
</body>
</html>`;

export function docsPage(c: Context<AppEnv>): Response {
  return c.html(PAGE);
}

export async function docsAsset(c: Context<AppEnv>): Promise<Response> {
  const file = c.req.param("file") ?? "";
  const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
  if (!type) throw new ProxyError(404, "not_found", `No file '${file.slice(0, 100)}' for /docs`);
  if (!c.env.DOCS_ASSETS) throw new ProxyError(503, "docs_unavailable", "The /docs files are not configured (DOCS_ASSETS binding)");
  const asset = await c.env.DOCS_ASSETS.fetch(new Request(`http://docs-assets/${file}`));
  if (!asset.ok) throw new ProxyError(503, "docs_unavailable", `The /docs file '${file}' is missing (HTTP ${asset.status})`);
  return new Response(asset.body, { headers: { "content-type": type, "cache-control": "public, max-age=86400" } });
}
