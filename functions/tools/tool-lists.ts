// Each server's tools, cached (functions/listings/listing-cache.ts).
import { ToolSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { type ListContext, type Listing, listingCache } from "../listings/listing-cache.ts";

export type JsonSchema = Record<string, unknown>;
export type { ListContext, Tool };
export type ToolListing = Listing<Tool>;

const tools = listingCache<Tool>({ method: "tools/list", field: "tools", item: ToolSchema, noun: "tools", optional: false });

export function toolsOf(server: WorkerServer, context: ListContext, options?: { refresh?: boolean }): Promise<ToolListing> {
  return tools.of(server, context, options);
}

export function toolsOfAll(servers: WorkerServer[], context: ListContext): Promise<Map<string, ToolListing>> {
  return tools.ofAll(servers, context);
}
