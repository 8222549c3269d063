// Resource URIs inside results (resource links, embedded resources, read contents) get /mcp's
// prefix, so a client can read what a tool or prompt points to through the same endpoint.
import { prefixedUri } from "./names.ts";

type WithUri = { uri?: unknown };

export function prefixContents<Item>(server: string, items: Item[]): Item[] {
  return items.map((item) => prefixItem(server, item));
}

function prefixItem<Item>(server: string, item: Item): Item {
  if (!item || typeof item !== "object") return item;
  const { type, uri, resource } = item as { type?: unknown; uri?: unknown; resource?: WithUri };
  if (type === "resource_link" && typeof uri === "string") return { ...item, uri: prefixedUri(server, uri) };
  if (type === "resource" && resource && typeof resource.uri === "string")
    return { ...item, resource: { ...resource, uri: prefixedUri(server, resource.uri) } };
  if (type === undefined && typeof uri === "string") return { ...item, uri: prefixedUri(server, uri) }; // a read's contents
  return item;
}
