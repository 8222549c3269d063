// How /mcp names what many servers offer, so that two servers cannot collide: tools and prompts
// are `<server>_<name>` (for tools, exactly the operationIds of /openapi.json), resources
// `mcp-proxy://<server>/<the server's own URI>`. /{server}/mcp keeps every name as the server has it.
import { assignOperationIds, pairKey } from "../openapi/operation-id.ts";

export const RESOURCE_SCHEME = "mcp-proxy:";

/** Where a name the caller uses points: a server and the server's own name (or URI). */
export interface Target {
  server: string;
  name: string;
}

/** The name each (server, name) pair gets on /mcp; the same pairs always get the same names. */
export function prefixedNames(pairs: Target[]): Map<string, string> {
  return assignOperationIds(pairs.map(({ server, name }) => ({ server, tool: name })));
}

export { pairKey };

export function prefixedUri(server: string, uri: string): string {
  return `${RESOURCE_SCHEME}//${server}/${uri}`;
}

/** The server and its own URI of a URI that prefixedUri made, else undefined. */
export function targetOfUri(uri: string): Target | undefined {
  const match = /^mcp-proxy:\/\/([^/]+)\/(.+)$/s.exec(uri);
  return match ? { server: match[1]!, name: match[2]! } : undefined;
}
