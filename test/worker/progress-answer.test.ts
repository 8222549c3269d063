// How a call with a progress token is answered (schema/progress-answer.ts), inside workerd: plain
// when no report comes first, an SSE stream of the reports then the answer when one does.
import { describe, expect, it } from "vitest";
import { progressAnswer, progressTokenOf } from "../../schema/progress-answer.ts";

const rpc = (id: number) => Response.json({ jsonrpc: "2.0", id, result: { content: [] } }, { status: 200 });
const dataLines = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)));

describe("progressAnswer", () => {
  it("answers as it would without a token when the call ends before any report, status included", async () => {
    const response = await progressAnswer("t", async () => Response.json({ error: "down" }, { status: 503 }));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "down" });
  });

  it("streams each report under the caller's token, then the answer, then ends", async () => {
    const response = await progressAnswer(7, async (onProgress) => {
      onProgress({ progress: 1, total: 2 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      onProgress({ progress: 2, total: 2, message: "done" });
      return rpc(1);
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(dataLines(await response.text())).toEqual([
      { jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1, total: 2, progressToken: 7 } },
      { jsonrpc: "2.0", method: "notifications/progress", params: { progress: 2, total: 2, message: "done", progressToken: 7 } },
      { jsonrpc: "2.0", id: 1, result: { content: [] } },
    ]);
  });

  it("cuts a stream under way when the call fails, and rejects one not yet begun", async () => {
    const cut = await progressAnswer("t", async (onProgress) => {
      onProgress({ progress: 1 });
      throw new Error("lost");
    });
    await expect(cut.text()).rejects.toThrow();
    await expect(progressAnswer("t", () => Promise.reject(new Error("early")))).rejects.toThrow("early");
  });
});

describe("progressTokenOf", () => {
  it.each([
    [{ _meta: { progressToken: "a" } }, "a"],
    [{ _meta: { progressToken: 0 } }, 0],
    [{ _meta: { progressToken: null } }, undefined],
    [{ _meta: {} }, undefined],
    [undefined, undefined],
  ])("reads %j as %j", (params, token) => {
    expect(progressTokenOf(params)).toBe(token);
  });
});
