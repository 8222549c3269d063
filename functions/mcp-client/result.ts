// An MCP tool result as an HTTP answer: structured content first, JSON text as JSON, other text as
// text, binary content as data URLs, several items as a list. A tool error keeps its own message.
import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";
import { outcomeError } from "./outcomes.ts";

export function toolResultResponse(result: CallToolResult, server: string, tool: string): Response {
  const { content } = result;
  if (result.isError === true) {
    const message =
      content
        .map((item) => (item.type === "text" ? item.text : ""))
        .filter(Boolean)
        .join("\n") || "the tool reported an error";
    throw outcomeError("tool_error", message, { server, tool });
  }
  if (result.structuredContent !== undefined) return json(result.structuredContent);
  const [only] = content;
  if (content.length === 1 && only?.type === "text") {
    const parsed = parseJson(only.text);
    return parsed === undefined ? new Response(only.text, { headers: { "content-type": "text/plain; charset=utf-8" } }) : json(parsed);
  }
  const items = content.map(mapItem);
  return json(items.length === 1 ? items[0] : items);
}

function mapItem(item: ContentBlock): unknown {
  switch (item.type) {
    case "text":
      return parseJson(item.text) ?? item.text;
    case "image":
    case "audio":
      return `data:${item.mimeType};base64,${item.data}`;
    case "resource": {
      const { resource } = item;
      if ("text" in resource) return { uri: resource.uri, mimeType: resource.mimeType, text: resource.text };
      return { uri: resource.uri, mimeType: resource.mimeType, data: `data:${resource.mimeType ?? "application/octet-stream"};base64,${resource.blob}` };
    }
    default:
      return item; // resource_link: pass it on as the server sent it
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
