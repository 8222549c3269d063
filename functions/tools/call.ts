// What both faces (POST /{server}/{tool} and /mcp's tools/call) do to call a tool: find it in the
// server's cached list, then call it upstream. How the outcome is answered is each face's own.
import { CallToolResultSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { upstreamFor } from "../bridge.ts";
import { ProxyError } from "../errors.ts";
import { mcpRequest } from "../mcp-client/request.ts";
import type { RequestScope } from "../routes/context.ts";
import type { Arguments } from "./arguments.ts";
import { assertSupported } from "./support.ts";
import { toolsOf, type Tool } from "./tool-lists.ts";

/** The named tool of the server; a name the cached list lacks may be new, so the server is asked once more. */
export async function findTool(scope: RequestScope, server: WorkerServer, name: string): Promise<Tool> {
  let listing = await toolsOf(server, scope);
  if (listing.ok && !listing.items.some((t) => t.name === name)) listing = await toolsOf(server, scope, { refresh: true });
  if (!listing.ok) throw listing.error;
  const tool = listing.items.find((t) => t.name === name);
  if (tool) return tool;
  const names = listing.items.map((t) => t.name).join(", ") || "(none)";
  throw new ProxyError(404, "unknown_tool", `Server '${server.name}' has no tool '${name}'. Available tools: ${names}`, { server: server.name, tool: name });
}

/** The upstream's result as it gave it; its JSON-RPC error is thrown as the SDK's McpError. */
export function callUpstreamTool(scope: RequestScope, server: WorkerServer, tool: Tool, args: Arguments): Promise<CallToolResult> {
  assertSupported(tool, server.name);
  return mcpRequest(upstreamFor(server, scope.env), "tools/call", { name: tool.name, arguments: args }, CallToolResultSchema, scope);
}
