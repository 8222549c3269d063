// Open WebUI's settings for the proxy exactly as docker-compose.yml gives them, so the test
// provisions Open WebUI the way a user's stack does.
import { composeServices } from "../helpers/compose.ts";

// What docker-compose.yml demands (${VAR:?}) besides what the caller gives.
const REQUIRED = [
  "DOMAIN",
  "ACME_EMAIL",
  "ENTRA_TENANT_ID",
  "ENTRA_CLIENT_ID",
  "ENTRA_CLIENT_SECRET",
  "SESSION_SECRET",
  "API_GATEWAY_SECRET",
  "WEBUI_SECRET_KEY",
];

/** The open-webui service's environment entries that concern the proxy, with ${VAR}s filled in and the proxy's address replaced. */
export function composeOpenWebUiEnv(vars: Record<string, string>, proxyUrl: string): Record<string, string> {
  // The variables the file demands and the test has no use for get placeholders.
  const placeholders = Object.fromEntries(REQUIRED.map((name) => [name, `unused-${name.toLowerCase()}`]));
  const env = composeServices("docker-compose.yml", { ...placeholders, ...vars }, ["open-webui"])["open-webui"]!.environment!;
  const picked = ["TOOL_SERVER_CONNECTIONS", "ENABLE_FORWARD_USER_INFO_HEADERS", "FORWARD_USER_INFO_HEADER_JWT_SECRET"];
  const out = Object.fromEntries(picked.map((name) => [name, String(env[name])]));
  out.TOOL_SERVER_CONNECTIONS = out.TOOL_SERVER_CONNECTIONS!.replace("http://mcp-proxy:8000", proxyUrl);
  JSON.parse(out.TOOL_SERVER_CONNECTIONS); // it must still be JSON
  return out;
}

/**
 * The settings with a second connection added after the compose one: the proxy's `/mcp` as a
 * native MCP connection (Streamable HTTP), with the same key and access grants — the entry
 * docs/mcp.md gives. Open WebUI 0.12.4 names the connection by `info.id`: its tool id is
 * `server:mcp:<id>` and the model sees each tool as `<id>_<name>` (utils/middleware.py,
 * process_chat_payload). Added second, so the OpenAPI connection stays `server:0`.
 */
export function withMcpConnection(env: Record<string, string>, proxyUrl: string, id: string): Record<string, string> {
  const connections = JSON.parse(env.TOOL_SERVER_CONNECTIONS!) as Record<string, unknown>[];
  const openapi = connections[0]!;
  const mcp = {
    type: "mcp",
    url: `${proxyUrl}/mcp`,
    // Unused for MCP, but Open WebUI's admin API (ToolServerConnection) requires the field.
    path: "",
    auth_type: openapi.auth_type,
    key: openapi.key,
    config: openapi.config,
    info: { id, name: "MCP proxy", description: "The proxy's servers over MCP" },
  };
  return { ...env, TOOL_SERVER_CONNECTIONS: JSON.stringify([...connections, mcp]) };
}
