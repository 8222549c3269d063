// An MCP server (stdio) with TOOL_COUNT tools (default 15), each with a small nested schema:
// what "70 servers x 15 tools" looks like to the proxy. Plain JS so 70 of them start fast.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const count = Number(process.env.TOOL_COUNT) || 15;
const tools = Array.from({ length: count }, (_, i) => ({
  name: `tool_${i}`,
  description: `Generated tool number ${i}`,
  inputSchema: {
    type: "object",
    properties: {
      query: { type: "string", description: "What to look for" },
      limit: { type: "integer", minimum: 1, maximum: 100, default: 10 },
      filter: { type: "object", properties: { kind: { type: "string", enum: ["a", "b", "c"] }, tags: { type: "array", items: { type: "string" } } } },
    },
    required: ["query"],
  },
}));

const server = new Server({ name: "many-tools", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, (request) => ({ content: [{ type: "text", text: JSON.stringify(request.params.arguments ?? {}) }] }));
await server.connect(new StdioServerTransport());
