// The OpenAPI 3.1 document: the fixed routes plus POST /{server}/{tool} for every listed tool.
import type { WorkerServer } from "../../schema/catalog/index.ts";
import type { Tool } from "../tools/tool-lists.ts";
import { assignOperationIds, pairKey } from "./operation-id.ts";
import { rewriteSchema, type JsonSchema } from "./tool-schema.ts";

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } };

export interface ServerTools {
  server: WorkerServer;
  tools: Tool[];
}

/** A server whose tools are missing from the document right now, and why. */
export interface UnlistedServer {
  server: string;
  status: "discovering" | "error";
  reason: string;
}

const ERROR_SCHEMA = "ProxyError";
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
});

export function buildDocument(fixed: OpenApiDocument, entries: ServerTools[], title: string, unlisted: UnlistedServer[] = []): OpenApiDocument {
  const schemas: Record<string, unknown> = { ...fixed.components?.schemas, [ERROR_SCHEMA]: errorSchema() };
  const paths: Record<string, unknown> = withoutOperationIds(fixed.paths);
  const ids = assignOperationIds(entries.flatMap(({ server, tools }) => tools.map((tool) => ({ server: server.name, tool: tool.name }))));

  for (const { server, tools } of entries) {
    for (const tool of tools) {
      const operationId = ids.get(pairKey(server.name, tool.name))!;
      const { schema, components } = rewriteSchema(tool.inputSchema, operationId);
      Object.assign(schemas, components);
      paths[`/${encodeURIComponent(server.name)}/${encodeURIComponent(tool.name)}`] = { post: operation(server, tool, operationId, schema) };
    }
  }
  return {
    ...fixed,
    info: { ...(fixed.info as object), title, description: describe(entries, unlisted) },
    ...(unlisted.length > 0 ? { "x-mcp-proxy-unlisted-servers": unlisted } : {}),
    tags: entries.map(({ server }) => ({ name: server.name, description: server.description || server.title })),
    paths,
    components: { ...fixed.components, schemas },
  };
}

function operation(server: WorkerServer, tool: Tool, operationId: string, schema: JsonSchema) {
  const required = Array.isArray(schema.required) && schema.required.length > 0;
  const output = tool.outputSchema ? rewriteSchema(tool.outputSchema, `${operationId}_out`).schema : {};
  return {
    operationId,
    summary: tool.title ?? (tool.annotations?.title as string | undefined) ?? tool.name,
    description: tool.description ?? `Calls the tool '${tool.name}' of the MCP server '${server.name}'.`,
    tags: [server.name],
    requestBody: { required, content: { "application/json": { schema } } },
    responses: {
      "200": {
        description: "The tool's result: its structured content, JSON, text, or a list of content items",
        content: { "application/json": { schema: output }, "text/plain": { schema: { type: "string" } } },
      },
      "400": errorResponse("The body is not JSON, or the tool rejected the arguments"),
      "401": errorResponse("No or wrong API key, or a request not from the trusted gateway"),
      "403": errorResponse("The caller may not use this server"),
      "404": errorResponse("Unknown server or tool"),
      "413": errorResponse("The body is too large"),
      "422": errorResponse("The tool ran and reported an error"),
      "502": errorResponse("The MCP server failed or is unreachable"),
      "503": errorResponse("The MCP server is disabled or not running, or permissions cannot be checked"),
      "504": errorResponse("The MCP server did not answer in time"),
    },
  };
}

/**
 * Open WebUI offers every operation that has an operationId to the model as a function;
 * the fixed routes (health, listings, specs) are for people and scripts, not for the model.
 */
function withoutOperationIds(paths: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item as Record<string, Record<string, unknown>>).map(([method, op]) => {
          const { operationId: _id, ...rest } = op;
          return [method, rest];
        }),
      ),
    ]),
  );
}

function describe(entries: ServerTools[], unlisted: UnlistedServer[]): string {
  const lines = entries.map(({ server, tools }) => `- **${server.name}** (${tools.length} tools): ${server.description || server.title}`);
  const text = ["Tools of these MCP servers, each at `POST /{server}/{tool}`:", "", ...lines];
  if (unlisted.length === 0) return text.join("\n");
  const missing = unlisted.map(({ server, reason }) => `- **${server}**: ${reason}`);
  return [...text, "", "Not in this document right now (fetch it again shortly):", "", ...missing].join("\n");
}

function errorSchema(): JsonSchema {
  return {
    type: "object",
    properties: {
      error: {
        type: "object",
        properties: { code: { type: "string" }, message: { type: "string" }, server: { type: "string" }, tool: { type: "string" } },
        required: ["code", "message"],
      },
    },
    required: ["error"],
  };
}
