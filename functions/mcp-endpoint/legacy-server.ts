// The 2025-era protocol (initialize, then requests under a session id that carries nothing): the
// v1 SDK's Server, made per request, does the protocol (version negotiation, ping, errors,
// parameter parsing) and hands each request to the proxy's methods.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { RequestScope } from "../routes/context.ts";
import type { Endpoint } from "./exposed.ts";
import { instructionsFor, mcpMethods, SERVER_INFO } from "./methods.ts";

/**
 * `logging`: a level is accepted (the SDK keeps it for the request); upstream log messages are not
 * relayed, so none is ever sent. `completions` are the upstream's.
 */
const CAPABILITIES = { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, logging: {}, completions: {} };
/** One validator made once: the SDK's default (Ajv) compiles code at runtime, which workerd forbids. */
const validator = new CfWorkerJsonSchemaValidator();

export function legacyServer(scope: RequestScope, endpoint: Endpoint): Server {
  const server = new Server(SERVER_INFO, { capabilities: CAPABILITIES, instructions: instructionsFor(endpoint), jsonSchemaValidator: validator });
  const methods = mcpMethods(scope, endpoint);
  server.setRequestHandler(ListToolsRequestSchema, methods["tools/list"]);
  server.setRequestHandler(CallToolRequestSchema, (request) => methods["tools/call"](request.params));
  server.setRequestHandler(ListPromptsRequestSchema, methods["prompts/list"]);
  server.setRequestHandler(GetPromptRequestSchema, (request) => methods["prompts/get"](request.params));
  server.setRequestHandler(ListResourcesRequestSchema, methods["resources/list"]);
  server.setRequestHandler(ListResourceTemplatesRequestSchema, methods["resources/templates/list"]);
  server.setRequestHandler(ReadResourceRequestSchema, (request) => methods["resources/read"](request.params));
  server.setRequestHandler(CompleteRequestSchema, (request) => methods["completion/complete"](request.params));
  return server;
}
