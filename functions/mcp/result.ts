// An MCP tool result as an HTTP answer: structured content first, JSON text as JSON, other text as
// text, binary content as data URLs, several items as a list. A tool error keeps its own message.
import { ProxyError } from "../errors.ts";

type ContentItem = Record<string, unknown> & { type: string };

export function toolResultResponse(result: Record<string, unknown>, server: string, tool: string): Response {
  const content = Array.isArray(result.content) ? (result.content as ContentItem[]) : [];
  if (result.isError === true) {
    const message =
      content
        .map((item) => (typeof item.text === "string" ? item.text : ""))
        .filter(Boolean)
        .join("\n") || "the tool reported an error";
    throw new ProxyError(422, "tool_error", message, { server, tool });
  }
  if (result.structuredContent !== undefined) return json(result.structuredContent);
  if (content.length === 1 && content[0]!.type === "text") {
    const text = String(content[0]!.text ?? "");
    const parsed = parseJson(text);
    return parsed === undefined ? new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } }) : json(parsed);
  }
  const items = content.map(mapItem);
  return json(items.length === 1 ? items[0] : items);
}

function mapItem(item: ContentItem): unknown {
  switch (item.type) {
    case "text":
      return parseJson(String(item.text ?? "")) ?? item.text;
    case "image":
    case "audio":
      return `data:${item.mimeType};base64,${item.data}`;
    case "resource": {
      const resource = (item.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === "string") return { uri: resource.uri, mimeType: resource.mimeType, text: resource.text };
      return { uri: resource.uri, mimeType: resource.mimeType, data: `data:${resource.mimeType ?? "application/octet-stream"};base64,${resource.blob}` };
    }
    default:
      return item; // resource_link and anything newer: pass it on as the server sent it
  }
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{"]/.test(trimmed) && !/^(-?\d|true$|false$|null$)/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function json(value: unknown): Response {
  return new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });
}
