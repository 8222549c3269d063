// A tool result as an HTTP answer: the content kinds the reference servers do not send
// (audio, embedded resources, resource links) and a tool error's message.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { expect, it } from "vitest";
import { ProxyError } from "../../functions/errors.ts";
import { toolResultResponse } from "../../functions/mcp-client/result.ts";

const answer = (content: CallToolResult["content"]) => toolResultResponse({ content }, "srv", "tool");

it("answers audio as a data URL", async () => {
  const response = answer([{ type: "audio", data: "UklGRg==", mimeType: "audio/wav" }]);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(await response.json()).toBe("data:audio/wav;base64,UklGRg==");
});

it("answers an embedded text resource with its uri, type and text", async () => {
  const response = answer([{ type: "resource", resource: { uri: "file:///notes.md", mimeType: "text/markdown", text: "# Notes" } }]);
  expect(await response.json()).toEqual({ uri: "file:///notes.md", mimeType: "text/markdown", text: "# Notes" });
});

it("answers an embedded binary resource as a data URL, octet-stream when it names no type", async () => {
  const response = answer([
    { type: "resource", resource: { uri: "file:///a.png", mimeType: "image/png", blob: "iVBORw0=" } },
    { type: "resource", resource: { uri: "file:///a.bin", blob: "AAE=" } },
  ]);
  expect(await response.json()).toEqual([
    { uri: "file:///a.png", mimeType: "image/png", data: "data:image/png;base64,iVBORw0=" },
    { uri: "file:///a.bin", data: "data:application/octet-stream;base64,AAE=" },
  ]);
});

it("passes a resource link on as the server sent it, in a list with the other items", async () => {
  const link = { type: "resource_link" as const, uri: "https://example.com/report.pdf", name: "report", mimeType: "application/pdf" };
  const response = answer([{ type: "text", text: '{"pages":3}' }, link]);
  expect(await response.json()).toEqual([{ pages: 3 }, link]);
});

it("throws a tool error with the tool's own text, 422 naming server and tool", () => {
  const failing = () =>
    toolResultResponse(
      {
        isError: true,
        content: [
          { type: "text", text: "disk full" },
          { type: "audio", data: "AA==", mimeType: "audio/wav" },
          { type: "text", text: "try later" },
        ],
      },
      "srv",
      "tool",
    );
  expect(failing).toThrow(ProxyError);
  try {
    failing();
  } catch (error) {
    expect((error as ProxyError).toJSON()).toEqual({ error: { code: "tool_error", message: "disk full\ntry later", server: "srv", tool: "tool" } });
    expect((error as ProxyError).status).toBe(422);
  }
});
