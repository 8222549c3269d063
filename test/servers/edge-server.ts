// A small MCP server built with the SDK, for the edge cases the reference servers do not have:
// tricky schemas and names, every kind of result, errors, slow, hanging and crashing tools, and
// counters that show how the proxy talks to it. Runs over stdio, Streamable HTTP or HTTP+SSE:
//   node --import tsx test/servers/edge-server.ts stdio|http|sse   (PORT for the HTTP modes;
//   STALE_SESSION_STATUS sets the status for an unknown session, 404 by default)
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { COMPLEX_SCHEMA, LONG_TOOL_NAME } from "./edge-fixtures.ts";

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const counters = { initialize: 0, toolsList: 0, calls: 0 };
const extraTools: Tool[] = [];
/** Every connected server object, told when `add_tool` changes the list. */
const connected = new Set<Server>();
const barriers = new Map<string, { waiting: number; release: () => void; released: Promise<void> }>();

const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });

const tools: Record<string, { tool: Tool; run: (args: Record<string, unknown>) => Promise<CallToolResult> | CallToolResult }> = {
  echo: {
    tool: {
      name: "echo",
      description: "Echoes the message",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    },
    run: (args) => text(String(args.message)),
  },
  add: {
    tool: {
      name: "add",
      description: "Adds two numbers",
      inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
      outputSchema: { type: "object", properties: { sum: { type: "number" } }, required: ["sum"] },
    },
    run: (args) => {
      const sum = Number(args.a) + Number(args.b);
      return { content: [{ type: "text", text: String(sum) }], structuredContent: { sum } };
    },
  },
  json_text: { tool: { name: "json_text", inputSchema: { type: "object" } }, run: () => text('{"ok":true,"items":[1,2]}') },
  plain_text: { tool: { name: "plain_text", inputSchema: { type: "object" } }, run: () => text("hello, world") },
  image: { tool: { name: "image", inputSchema: { type: "object" } }, run: () => ({ content: [{ type: "image", data: PNG_1X1, mimeType: "image/png" }] }) },
  multi: {
    tool: { name: "multi", inputSchema: { type: "object" } },
    run: () => ({
      content: [
        { type: "text", text: "one" },
        { type: "text", text: '{"two":2}' },
        { type: "image", data: PNG_1X1, mimeType: "image/png" },
      ],
    }),
  },
  fail: { tool: { name: "fail", inputSchema: { type: "object" } }, run: () => ({ isError: true, content: [{ type: "text", text: "something broke" }] }) },
  invalid_params: {
    tool: { name: "invalid_params", inputSchema: { type: "object" } },
    run: () => {
      throw new McpError(ErrorCode.InvalidParams, "field 'x' is required");
    },
  },
  hang: { tool: { name: "hang", inputSchema: { type: "object" } }, run: () => new Promise<CallToolResult>(() => {}) },
  crash: {
    tool: { name: "crash", description: "Exits the process mid-call", inputSchema: { type: "object" } },
    run: () => {
      setTimeout(() => process.exit(3), 50);
      return new Promise<CallToolResult>(() => {});
    },
  },
  barrier: {
    tool: {
      name: "barrier",
      description: "Answers only once `count` calls with the same key are in flight at the same time",
      inputSchema: { type: "object", properties: { key: { type: "string" }, count: { type: "integer" } }, required: ["key", "count"] },
    },
    run: async (args) => {
      const key = String(args.key);
      let barrier = barriers.get(key);
      if (!barrier) {
        let release = () => {};
        const released = new Promise<void>((done) => (release = done));
        barrier = { waiting: 0, release, released };
        barriers.set(key, barrier);
      }
      barrier.waiting += 1;
      if (barrier.waiting >= Number(args.count)) barrier.release();
      const timeout = new Promise<"timeout">((done) => setTimeout(() => done("timeout"), 10_000).unref());
      const outcome = await Promise.race([barrier.released.then(() => "released" as const), timeout]);
      return outcome === "released"
        ? text(`released ${key}`)
        : { isError: true, content: [{ type: "text", text: `only ${barrier.waiting} of ${args.count} arrived` }] };
    },
  },
  large_text: {
    tool: {
      name: "large_text",
      description: "Answers a text of `bytes` characters, made of `fill` repeated",
      inputSchema: { type: "object", properties: { bytes: { type: "integer" }, fill: { type: "string" } }, required: ["bytes"] },
    },
    run: (args) =>
      text(
        String(args.fill || "x")
          .repeat(Math.ceil(Number(args.bytes) / String(args.fill || "x").length))
          .slice(0, Number(args.bytes)),
      ),
  },
  stdout_garbage: {
    tool: {
      name: "stdout_garbage",
      description: "Writes a line that is not JSON-RPC to stdout",
      inputSchema: { type: "object", properties: { line: { type: "string" } }, required: ["line"] },
    },
    run: (args) => {
      process.stdout.write(`${String(args.line)}\n`);
      return text("written");
    },
  },
  stats: { tool: { name: "stats", inputSchema: { type: "object" } }, run: () => ({ content: [], structuredContent: { ...counters, pid: process.pid } }) },
  add_tool: {
    tool: { name: "add_tool", inputSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
    run: (args) => {
      extraTools.push({ name: String(args.name), inputSchema: { type: "object" } });
      for (const server of connected) server.sendToolListChanged().catch(() => {});
      return text(`added ${args.name}`);
    },
  },
  complex: {
    tool: { name: "complex", description: "Takes a deeply nested order", inputSchema: COMPLEX_SCHEMA as Tool["inputSchema"] },
    run: (args) => ({ content: [], structuredContent: { received: args } }),
  },
  strict: {
    tool: {
      name: "strict",
      description: "Takes only a message",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, additionalProperties: false },
    },
    run: (args) => text(`strict ${String(args.message)}`),
  },
  "get.weather": {
    tool: { name: "get.weather", inputSchema: { type: "object", properties: { city: { type: "string" } } } },
    run: (args) => text(`sunny in ${args.city}`),
  },
  "name with spaces": { tool: { name: "name with spaces", inputSchema: { type: "object" } }, run: () => text("spaces ok") },
  [LONG_TOOL_NAME]: { tool: { name: LONG_TOOL_NAME, inputSchema: { type: "object" } }, run: () => text("long ok") },
  takes_arguments: {
    tool: { name: "takes_arguments", inputSchema: { type: "object", properties: { arguments: { type: "object" } } } },
    run: (args) => ({ content: [], structuredContent: { got: args } }),
  },
};

function createMcpServer(): Server {
  const server = new Server({ name: "edge", version: "1.0.0" }, { capabilities: { tools: { listChanged: true } } });
  server.oninitialized = () => {
    counters.initialize += 1;
    connected.add(server);
  };
  server.setRequestHandler(ListToolsRequestSchema, () => {
    counters.toolsList += 1;
    const requestHeaders: Tool = { name: "request_headers", inputSchema: { type: "object" } };
    return { tools: [...Object.values(tools).map((t) => t.tool), requestHeaders, ...extraTools] };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    counters.calls += 1;
    const { name, arguments: args = {} } = request.params;
    // The HTTP headers this call arrived with (HTTP modes), to prove what the proxy passes on.
    if (name === "request_headers") return { content: [], structuredContent: { headers: extra.requestInfo?.headers ?? {} } };
    const entry = tools[name];
    if (entry) return entry.run(args);
    if (extraTools.some((t) => t.name === name)) return text(`dynamic ${name}`);
    throw new McpError(ErrorCode.InvalidParams, `unknown tool ${name}`);
  });
  return server;
}

async function serveStreamableHttp(port: number): Promise<void> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  createServer(async (req, res) => {
    const sessionId = req.headers["mcp-session-id"] as string | undefined;
    if (sessionId) {
      const transport = transports.get(sessionId);
      // Servers differ on how they refuse an unknown session: the SDK says 404, many say 400.
      if (!transport)
        return void res
          .writeHead(Number(process.env.STALE_SESSION_STATUS) || 404)
          .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }));
      return transport.handleRequest(req, res);
    }
    const body = await readJson(req);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id) => void transports.set(id, transport) });
    transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
    await createMcpServer().connect(transport);
    await transport.handleRequest(req, res, body);
  }).listen(port, "127.0.0.1");
}

async function serveSse(port: number): Promise<void> {
  const transports = new Map<string, SSEServerTransport>();
  createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", res);
      transports.set(transport.sessionId, transport);
      res.on("close", () => transports.delete(transport.sessionId));
      return void (await createMcpServer().connect(transport));
    }
    const transport = transports.get(url.searchParams.get("sessionId") ?? "");
    if (req.method === "POST" && url.pathname === "/messages" && transport) return void (await transport.handlePostMessage(req, res));
    res.writeHead(404).end();
  }).listen(port, "127.0.0.1");
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"));
      } catch (error) {
        reject(error);
      }
    });
  });
}

const mode = process.argv[2] ?? "stdio";
const port = Number(process.env.PORT) || 3100;
// STARTUP_DELAY_MS: a server slow to start, for tests of how many start at once.
if (process.env.STARTUP_DELAY_MS) await new Promise((done) => setTimeout(done, Number(process.env.STARTUP_DELAY_MS)));
if (mode === "stdio") await createMcpServer().connect(new StdioServerTransport());
else if (mode === "http") await serveStreamableHttp(port);
else if (mode === "sse") await serveSse(port);
else throw new Error(`unknown mode ${mode}`);
