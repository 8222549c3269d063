// What both faces (POST /{server}/{tool} and /mcp's tools/call) do to call a tool: find it in the
// server's cached list, then call it upstream. How the outcome is answered is each face's own.
import { CallToolResultSchema, type CallToolResult, type Progress, ProgressNotificationSchema, type ProgressToken } from "@modelcontextprotocol/sdk/types.js";
import type { WorkerServer } from "../../schema/catalog/index.ts";
import { upstreamFor } from "../bridge.ts";
import { ProxyError } from "../errors.ts";
import type { OnNotification } from "../mcp-client/messages.ts";
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

/** Progress the caller asked for under its own token: the upstream's reports for it, handed on. */
export interface ProgressRelay {
  token: ProgressToken;
  onProgress(progress: Progress): void;
}

/** The upstream's result as it gave it; its JSON-RPC error is thrown as the SDK's McpError. */
export function callUpstreamTool(scope: RequestScope, server: WorkerServer, tool: Tool, args: Arguments, progress?: ProgressRelay): Promise<CallToolResult> {
  assertSupported(tool, server.name);
  const params = { name: tool.name, arguments: args, ...(progress ? { _meta: { progressToken: progress.token } } : {}) };
  const options = { waitUntil: scope.waitUntil, onNotification: progress && relayProgress(progress) };
  return mcpRequest(upstreamFor(server, scope.env), "tools/call", params, CallToolResultSchema, options);
}

/** Only well-formed progress for the caller's token is handed on; the upstream's other notifications are not. */
function relayProgress({ token, onProgress }: ProgressRelay): OnNotification {
  return (message) => {
    const parsed = ProgressNotificationSchema.safeParse(message);
    if (!parsed.success || parsed.data.params.progressToken !== token) return;
    const { progressToken: _, ...progress } = parsed.data.params;
    onProgress(progress);
  };
}
