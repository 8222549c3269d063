// GET /servers: every catalog server, on or off, with its tool count and status.
import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { toolsOfAll } from "../tools/tool-lists.ts";
import { enabledServers, scopeOf, visibleServers, type AppContext } from "./context.ts";

export const ServerRow = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  transport: z.enum(["stdio", "streamable-http", "sse"]),
  enabled: z.boolean(),
  disabledReason: z.string().optional(),
  toolCount: z.number().int().nullable(),
  status: z.enum(["ok", "error", "disabled"]),
  error: z.string().optional(),
});

export class ListServers extends OpenAPIRoute {
  override schema = {
    tags: ["proxy"],
    summary: "The MCP servers of the catalog the caller may use",
    responses: { "200": { description: "The servers", content: { "application/json": { schema: z.object({ servers: z.array(ServerRow) }) } } } },
  };

  override async handle(c: AppContext) {
    const scope = await scopeOf(c);
    const listings = await toolsOfAll(enabledServers(scope), scope);
    const servers = visibleServers(scope).map((server): z.infer<typeof ServerRow> => {
      const base = { name: server.name, title: server.title, description: server.description, transport: server.transport, enabled: server.enabled };
      if (!server.enabled) return { ...base, disabledReason: server.disabledReason, toolCount: null, status: "disabled" };
      const listing = listings.get(server.name)!;
      return listing.ok
        ? { ...base, toolCount: listing.tools.length, status: "ok" }
        : { ...base, toolCount: null, status: "error", error: listing.error.message };
    });
    return c.json({ servers });
  }
}
