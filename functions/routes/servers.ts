// GET /servers: every catalog server, on or off, with its tool count and status.
import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { Transport } from "../../schema/catalog/index.ts";
import { splitForOpenApi } from "../tools/support.ts";
import { toolsOfAll } from "../tools/tool-lists.ts";
import { enabledServers, type RequestScope, scopeOf, visibleServers, type AppContext } from "./context.ts";

export const ServerRow = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  transport: Transport,
  enabled: z.boolean(),
  disabledReason: z.string().optional(),
  /** Tools callable through the proxy (the ones in /openapi.json). */
  toolCount: z.number().int().nullable(),
  /** `discovering`: started for the first time, its tools not known yet. */
  status: z.enum(["ok", "discovering", "error", "disabled"]),
  error: z.string().optional(),
  /** Tools the server has that the proxy cannot call, each with why. */
  unlistedTools: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
});

export class ListServers extends OpenAPIRoute {
  override schema = {
    tags: ["proxy"],
    summary: "The MCP servers of the catalog the caller may use",
    responses: { "200": { description: "The servers", content: { "application/json": { schema: z.object({ servers: z.array(ServerRow) }) } } } },
  };

  override async handle(c: AppContext) {
    const servers = await serverRows(await scopeOf(c));
    return c.json({ servers });
  }
}

export type ServerRow = z.infer<typeof ServerRow>;

/** The caller's servers as GET /servers (and the portal) show them. */
export async function serverRows(scope: RequestScope): Promise<ServerRow[]> {
  const listings = await toolsOfAll(enabledServers(scope), scope);
  return visibleServers(scope).map((server): ServerRow => {
    const base = { name: server.name, title: server.title, description: server.description, transport: server.transport, enabled: server.enabled };
    if (!server.enabled) return { ...base, disabledReason: server.disabledReason, toolCount: null, status: "disabled" };
    const listing = listings.get(server.name)!;
    if (!listing.ok) return { ...base, toolCount: null, status: listing.discovering ? "discovering" : "error", error: listing.error.message };
    const { supported, unlisted } = splitForOpenApi(listing.items);
    return { ...base, toolCount: supported.length, status: "ok", ...(unlisted.length > 0 ? { unlistedTools: unlisted } : {}) };
  });
}
