// Tools this proxy cannot call for anyone, so they are left out of the OpenAPI documents and
// listed with the reason in /servers. A tool that requires task-augmented execution (MCP
// 2025-11-25 `execution.taskSupport: "required"`) must be called as a task and polled; a plain
// POST cannot carry that.
import { ProxyError } from "../errors.ts";
import type { Tool } from "./tool-lists.ts";

export interface UnlistedTool {
  name: string;
  reason: string;
}

function unsupportedReason(tool: Tool): string | undefined {
  const execution = (tool as { execution?: { taskSupport?: unknown } }).execution;
  if (execution?.taskSupport === "required") return "it requires task-augmented execution (execution.taskSupport: required), which this proxy does not offer";
  return undefined;
}

/** The tools a caller can use through the proxy, and the others with why not. */
export function splitSupported(tools: Tool[]): { supported: Tool[]; unlisted: UnlistedTool[] } {
  const supported: Tool[] = [];
  const unlisted: UnlistedTool[] = [];
  for (const tool of tools) {
    const reason = unsupportedReason(tool);
    if (reason) unlisted.push({ name: tool.name, reason });
    else supported.push(tool);
  }
  return { supported, unlisted };
}

/** 501 for a call to a tool the proxy cannot carry. */
export function assertSupported(tool: Tool, server: string): void {
  const reason = unsupportedReason(tool);
  if (reason)
    throw new ProxyError(501, "unsupported_tool", `Tool '${tool.name}' of '${server}' cannot be called through this proxy: ${reason}`, {
      server,
      tool: tool.name,
    });
}

/** POST /{server}/mcp is the server's MCP endpoint, so a tool of that name has no OpenAPI path. */
const MCP_ROUTE_TOOL = "mcp";

/** The tools the OpenAPI face can offer: the supported ones, less a tool whose path is taken. */
export function splitForOpenApi(tools: Tool[]): { supported: Tool[]; unlisted: UnlistedTool[] } {
  const { supported, unlisted } = splitSupported(tools);
  const taken = supported.find((tool) => tool.name === MCP_ROUTE_TOOL);
  if (!taken) return { supported, unlisted };
  const reason = "its path /{server}/mcp is the server's MCP endpoint: call it through /mcp or /{server}/mcp";
  return { supported: supported.filter((tool) => tool !== taken), unlisted: [...unlisted, { name: taken.name, reason }] };
}
