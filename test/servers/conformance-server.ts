// The MCP server that @modelcontextprotocol/conformance's server scenarios expect: the tools,
// resources, prompts and utilities each scenario names (test_simple_text, test://static-text,
// test_prompt_with_arguments, …), written from the scenarios' own descriptions (`conformance list
// --server`, the scenario texts in the package). The package ships no such server, so this one
// stands behind the proxy for the conformance test. Runs over stdio or Streamable HTTP:
//   node --import tsx test/servers/conformance-server.ts stdio|http   (PORT for http)
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  type GetPromptResult,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ReadResourceResult,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
/** A WAV header with no samples: the smallest valid audio/wav. */
const WAV_EMPTY = Buffer.from("UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=", "base64").toString("base64");

const NO_ARGUMENTS = { type: "object", properties: {} } as const;
const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

type Extra = Parameters<Parameters<Server["setRequestHandler"]>[1]>[1];
type ToolEntry = { tool: Tool; run: (args: Record<string, unknown>, extra: Extra) => Promise<CallToolResult> | CallToolResult };

const elicit = async (extra: Extra, params: Record<string, unknown>) => {
  const result = await extra.sendRequest({ method: "elicitation/create", params } as never, ElicitResultSchema);
  return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
};

const tools: Record<string, ToolEntry> = {
  test_simple_text: {
    tool: { name: "test_simple_text", description: "Returns simple text", inputSchema: NO_ARGUMENTS },
    run: () => text("This is a simple text response for testing."),
  },
  test_image_content: {
    tool: { name: "test_image_content", description: "Returns an image", inputSchema: NO_ARGUMENTS },
    run: () => ({ content: [{ type: "image", data: PNG_1X1, mimeType: "image/png" }] }),
  },
  test_audio_content: {
    tool: { name: "test_audio_content", description: "Returns audio", inputSchema: NO_ARGUMENTS },
    run: () => ({ content: [{ type: "audio", data: WAV_EMPTY, mimeType: "audio/wav" }] }),
  },
  test_embedded_resource: {
    tool: { name: "test_embedded_resource", description: "Returns an embedded resource", inputSchema: NO_ARGUMENTS },
    run: () => ({
      content: [{ type: "resource", resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." } }],
    }),
  },
  test_multiple_content_types: {
    tool: { name: "test_multiple_content_types", description: "Returns text, an image and a resource", inputSchema: NO_ARGUMENTS },
    run: () => ({
      content: [
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: PNG_1X1, mimeType: "image/png" },
        { type: "resource", resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: '{"test":"data","value":123}' } },
      ],
    }),
  },
  test_tool_with_logging: {
    tool: { name: "test_tool_with_logging", description: "Sends three log messages while it runs", inputSchema: NO_ARGUMENTS },
    run: async (_args, extra) => {
      const log = (data: string) => extra.sendNotification({ method: "notifications/message", params: { level: "info", data } });
      await log("Tool execution started");
      await pause(50);
      await log("Tool processing data");
      await pause(50);
      await log("Tool execution completed");
      return text("Tool with logging executed successfully");
    },
  },
  test_error_handling: {
    tool: { name: "test_error_handling", description: "Always fails", inputSchema: NO_ARGUMENTS },
    run: () => ({ isError: true, content: [{ type: "text", text: "This tool intentionally returns an error for testing" }] }),
  },
  test_tool_with_progress: {
    tool: { name: "test_tool_with_progress", description: "Reports progress 0, 50, 100 of 100", inputSchema: NO_ARGUMENTS },
    run: async (_args, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) await extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress, total: 100 } });
        if (progress < 100) await pause(50);
      }
      return text("Tool with progress executed successfully");
    },
  },
  test_sampling: {
    tool: {
      name: "test_sampling",
      description: "Asks the client's LLM",
      inputSchema: { type: "object", properties: { prompt: { type: "string" } }, required: ["prompt"] },
    },
    run: async (args, extra) => {
      const result = await extra.sendRequest(
        { method: "sampling/createMessage", params: { messages: [{ role: "user", content: { type: "text", text: String(args.prompt) } }], maxTokens: 100 } },
        CreateMessageResultSchema,
      );
      const reply = result.content.type === "text" ? result.content.text : JSON.stringify(result.content);
      return text(`LLM response: ${reply}`);
    },
  },
  test_elicitation: {
    tool: {
      name: "test_elicitation",
      description: "Asks the user",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    },
    run: (args, extra) =>
      elicit(extra, {
        message: String(args.message),
        requestedSchema: {
          type: "object",
          properties: {
            username: { type: "string", description: "User's response" },
            email: { type: "string", description: "User's email address" },
          },
          required: ["username", "email"],
        },
      }),
  },
  test_elicitation_sep1034_defaults: {
    tool: { name: "test_elicitation_sep1034_defaults", description: "Asks the user, with a default for every field", inputSchema: NO_ARGUMENTS },
    run: (_args, extra) =>
      elicit(extra, {
        message: "Please review and update the form fields with defaults",
        requestedSchema: {
          type: "object",
          properties: {
            name: { type: "string", description: "User name", default: "John Doe" },
            age: { type: "integer", description: "User age", default: 30 },
            score: { type: "number", description: "User score", default: 95.5 },
            status: { type: "string", description: "User status", enum: ["active", "inactive", "pending"], default: "active" },
            verified: { type: "boolean", description: "Verification status", default: true },
          },
          required: [],
        },
      }),
  },
  test_elicitation_sep1330_enums: {
    tool: { name: "test_elicitation_sep1330_enums", description: "Asks the user, with every kind of enum", inputSchema: NO_ARGUMENTS },
    run: (_args, extra) =>
      elicit(extra, {
        message: "Please select options from the enum fields",
        requestedSchema: {
          type: "object",
          properties: {
            untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
            titledSingle: {
              type: "string",
              oneOf: [
                { const: "value1", title: "First Option" },
                { const: "value2", title: "Second Option" },
                { const: "value3", title: "Third Option" },
              ],
            },
            legacyEnum: { type: "string", enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"] },
            untitledMulti: { type: "array", items: { type: "string", enum: ["option1", "option2", "option3"] } },
            titledMulti: {
              type: "array",
              items: {
                anyOf: [
                  { const: "value1", title: "First Choice" },
                  { const: "value2", title: "Second Choice" },
                  { const: "value3", title: "Third Choice" },
                ],
              },
            },
          },
          required: [],
        },
      }),
  },
  json_schema_2020_12_tool: {
    tool: {
      name: "json_schema_2020_12_tool",
      description: "Tool with JSON Schema 2020-12 features",
      inputSchema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
        properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
        additionalProperties: false,
      },
    },
    run: (args) => text(`Received: ${JSON.stringify(args)}`),
  },
};

const resources = [
  { uri: "test://static-text", name: "static-text", description: "A static text resource", mimeType: "text/plain" },
  { uri: "test://static-binary", name: "static-binary", description: "A static binary resource (a PNG)", mimeType: "image/png" },
  { uri: "test://watched-resource", name: "watched-resource", description: "A resource to subscribe to", mimeType: "text/plain" },
];
const TEMPLATE = /^test:\/\/template\/([^/]+)\/data$/;

function readResource(uri: string): ReadResourceResult {
  if (uri === "test://static-text") return { contents: [{ uri, mimeType: "text/plain", text: "This is the content of the static text resource." }] };
  if (uri === "test://static-binary") return { contents: [{ uri, mimeType: "image/png", blob: PNG_1X1 }] };
  if (uri === "test://watched-resource") return { contents: [{ uri, mimeType: "text/plain", text: "Watched resource content" }] };
  const id = TEMPLATE.exec(uri)?.[1];
  if (id !== undefined)
    return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] };
  throw new McpError(-32002, `Resource not found: ${uri}`);
}

const prompts = [
  { name: "test_simple_prompt", description: "A prompt without arguments" },
  {
    name: "test_prompt_with_arguments",
    description: "A prompt with two arguments",
    arguments: [
      { name: "arg1", description: "First test argument", required: true },
      { name: "arg2", description: "Second test argument", required: true },
    ],
  },
  {
    name: "test_prompt_with_embedded_resource",
    description: "A prompt that embeds a resource",
    arguments: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
  },
  { name: "test_prompt_with_image", description: "A prompt with an image" },
];

function getPrompt(name: string, args: Record<string, string>): GetPromptResult {
  switch (name) {
    case "test_simple_prompt":
      return { messages: [{ role: "user", content: { type: "text", text: "This is a simple prompt for testing." } }] };
    case "test_prompt_with_arguments":
      return { messages: [{ role: "user", content: { type: "text", text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` } }] };
    case "test_prompt_with_embedded_resource":
      return {
        messages: [
          {
            role: "user",
            content: { type: "resource", resource: { uri: args.resourceUri, mimeType: "text/plain", text: "Embedded resource content for testing." } },
          },
          { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
        ],
      };
    case "test_prompt_with_image":
      return {
        messages: [
          { role: "user", content: { type: "image", data: PNG_1X1, mimeType: "image/png" } },
          { role: "user", content: { type: "text", text: "Please analyze the image above." } },
        ],
      };
    default:
      throw new McpError(ErrorCode.InvalidParams, `unknown prompt ${name}`);
  }
}

function createMcpServer(): Server {
  const server = new Server(
    { name: "conformance", version: "1.0.0" },
    { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {}, logging: {}, completions: {} } },
  );
  const subscriptions = new Set<string>();
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: Object.values(tools).map((entry) => entry.tool) }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const entry = tools[request.params.name];
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}`);
    return entry.run(request.params.arguments ?? {}, extra);
  });
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [{ uriTemplate: "test://template/{id}/data", name: "template", description: "Data for an id", mimeType: "application/json" }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => readResource(request.params.uri));
  server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscriptions.add(request.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => getPrompt(request.params.name, request.params.arguments ?? {}));
  server.setRequestHandler(CompleteRequestSchema, (request) => {
    const typed = request.params.argument.value;
    const values = ["paris", "park", "party", typed ? `${typed}-completed` : "value"].filter((value) => value.startsWith(typed) || !typed);
    return { completion: { values, total: values.length, hasMore: false } };
  });
  server.setRequestHandler(SetLevelRequestSchema, () => ({}));
  return server;
}

/** Streamable HTTP with sessions, refusing Host headers other than localhost's (DNS rebinding). */
async function serveStreamableHttp(port: number): Promise<void> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const allowedHosts = ["localhost", "127.0.0.1", "[::1]"].flatMap((host) => [host, `${host}:${port}`]);
  createServer(async (req, res) => {
    const sessionId = req.headers["mcp-session-id"] as string | undefined;
    if (sessionId) {
      const transport = transports.get(sessionId);
      if (!transport) return void res.writeHead(404).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }));
      return transport.handleRequest(req, res);
    }
    const body = await readJson(req);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void transports.set(id, transport),
      enableDnsRebindingProtection: true,
      allowedHosts,
    });
    transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
    await createMcpServer().connect(transport);
    await transport.handleRequest(req, res, body);
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
if (mode === "stdio") await createMcpServer().connect(new StdioServerTransport());
else if (mode === "http") await serveStreamableHttp(Number(process.env.PORT) || 3200);
else throw new Error(`unknown mode ${mode}`);
