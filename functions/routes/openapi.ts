// GET /openapi.json and GET /{server}/openapi.json: the tool server's description.
import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { cachedJson } from "../openapi/document-cache.ts";
import { buildDocument, type ServerTools, type UnlistedServer } from "../openapi/document.ts";
import { splitForOpenApi } from "../tools/support.ts";
import { toolsOf, toolsOfAll } from "../tools/tool-lists.ts";
import { enabledServers, scopeOf, serverNamed, type AppContext } from "./context.ts";

export const TITLE = "MCP Proxy";

function json(bytes: Uint8Array): Response {
  return new Response(bytes, { headers: { "content-type": "application/json" } });
}
const Document = z.record(z.string(), z.unknown()).meta({ description: "An OpenAPI 3.1 document" });

export class FullSpec extends OpenAPIRoute {
  override schema = {
    tags: ["proxy"],
    summary: "OpenAPI document with the tools of every enabled server",
    description:
      "A server whose tools cannot be listed right now (still being discovered, or failing) is named with the reason in the document's description and in `x-mcp-proxy-unlisted-servers`, never silently left out.",
    responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: Document } } } },
  };

  override async handle(c: AppContext) {
    const scope = await scopeOf(c);
    const servers = enabledServers(scope);
    const listings = await toolsOfAll(servers, scope);
    const entries: ServerTools[] = [];
    const unlisted: UnlistedServer[] = [];
    const versions: string[] = [];
    for (const server of servers) {
      const listing = listings.get(server.name)!;
      if (listing.ok) {
        entries.push({ server, tools: splitForOpenApi(listing.items).supported });
        versions.push(`${server.name}@${listing.fetchedAt}`);
      } else {
        unlisted.push({ server: server.name, status: listing.discovering ? "discovering" : "error", reason: listing.error.message });
        versions.push(`${server.name}!${listing.fetchedAt}`);
      }
    }
    const key = `${scope.catalogVersion}|${TITLE}|${versions.join(",")}`;
    return json(cachedJson(key, () => buildDocument(c.get("fixedDocument")(), entries, TITLE, unlisted)));
  }
}

export class ServerSpec extends OpenAPIRoute {
  override schema = {
    tags: ["proxy"],
    summary: "OpenAPI document with the tools of one server",
    request: { params: z.object({ server: z.string() }) },
    responses: {
      "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: Document } } },
      "403": { description: "The caller may not use this server" },
      "404": { description: "Unknown server" },
      "502": { description: "The server failed to list its tools" },
      "503": { description: "The server is disabled, still being discovered (Retry-After), or its bridge is down" },
      "504": { description: "The server did not list its tools in time" },
    },
  };

  override async handle(c: AppContext) {
    const scope = await scopeOf(c);
    const server = serverNamed(scope, c.req.param("server")!);
    const listing = await toolsOf(server, scope);
    if (!listing.ok) throw listing.error;
    const title = `${TITLE}: ${server.title}`;
    const key = `${scope.catalogVersion}|${title}|${server.name}@${listing.fetchedAt}`;
    return json(cachedJson(key, () => buildDocument(c.get("fixedDocument")(), [{ server, tools: splitForOpenApi(listing.items).supported }], title)));
  }
}
