// How a Streamable HTTP request that carries a progress token is answered, by the bridge to the
// worker and by the worker's /mcp to its client: as an SSE stream once the server reports
// progress, each report a `notifications/progress` under the caller's own token, then the answer.
// One that ends before any report is answered as usual (JSON, with its status), so the common
// case costs nothing and a failure before any progress keeps its HTTP status.
import type { Progress, ProgressToken } from "@modelcontextprotocol/sdk/types.js";

/** The request's `_meta.progressToken`, if it has one. */
export function progressTokenOf(params: unknown): ProgressToken | undefined {
  const token = (params as { _meta?: { progressToken?: unknown } } | undefined)?._meta?.progressToken;
  return typeof token === "string" || typeof token === "number" ? token : undefined;
}

/** `answer` builds the plain answer, and reports progress through the callback it is given. */
export function progressAnswer(token: ProgressToken, answer: (onProgress: (progress: Progress) => void) => Promise<Response>): Promise<Response> {
  return new Promise((resolve, reject) => {
    let stream: WritableStreamDefaultWriter<string> | undefined;
    const send = (message: string) => stream?.write(`event: message\ndata: ${message}\n\n`).catch(() => {}); // the caller left
    const onProgress = (progress: Progress) => {
      if (!stream) {
        const encoder = new TextEncoderStream();
        stream = encoder.writable.getWriter();
        resolve(new Response(encoder.readable, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } }));
      }
      void send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { ...progress, progressToken: token } }));
    };
    answer(onProgress).then(
      async (response) => {
        if (!stream) return resolve(response);
        await send(await response.text());
        await stream.close().catch(() => {});
      },
      (error) => (stream ? void stream.abort(error).catch(() => {}) : reject(error)), // a stream under way can only be cut
    );
  });
}
