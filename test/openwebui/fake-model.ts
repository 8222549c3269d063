// A scripted OpenAI-compatible model for Open WebUI to talk to: one model, `fake-model`, that
// calls the tool the test queued, then repeats the tool's result as its answer.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export const MODEL_ID = "fake-model";

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown[];
}

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: ChatMessage[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  [key: string]: unknown;
}

export interface FakeModel {
  url: string;
  /** Every chat request body received, oldest first. */
  requests: ChatRequest[];
  /** The next request that offers tools gets this call as its answer. */
  queueToolCall(call: ToolCall): void;
  close(): Promise<void>;
}

type Reply = { text: string } | { call: ToolCall };

export async function startFakeModel(port: number): Promise<FakeModel> {
  const requests: ChatRequest[] = [];
  const queue: ToolCall[] = [];
  const server = createServer((req, res) => {
    handle(req, res, requests, queue).catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
  });
  await new Promise<void>((done, fail) => server.once("error", fail).listen(port, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queueToolCall: (call) => void queue.push(call),
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: ChatRequest[], queue: ToolCall[]): Promise<void> {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  if (req.method === "GET" && path === "/v1/models") {
    return send(res, 200, { object: "list", data: [{ id: MODEL_ID, object: "model", created: 0, owned_by: "test" }] });
  }
  if (req.method !== "POST" || path !== "/v1/chat/completions") return send(res, 404, { error: { message: `no route ${path}` } });
  const body = JSON.parse(await readBody(req)) as ChatRequest;
  requests.push(body);
  const reply = decide(body, queue);
  if (body.stream) streamReply(res, reply);
  else send(res, 200, completion(reply));
}

function decide(body: ChatRequest, queue: ToolCall[]): Reply {
  const last = body.messages.at(-1);
  if (last?.role === "tool") return { text: `Tool result: ${textOf(last.content)}` };
  if (body.tools?.length && queue.length) return { call: queue.shift()! };
  return { text: "No tool" };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === "string" ? part : (part?.text ?? ""))).join("");
  return JSON.stringify(content);
}

const base = () => ({ id: `chatcmpl-${Date.now()}`, created: Math.floor(Date.now() / 1000), model: MODEL_ID });

function toolCallsOf(call: ToolCall) {
  return [{ index: 0, id: `call_${Date.now()}`, type: "function", function: { name: call.name, arguments: JSON.stringify(call.arguments) } }];
}

function completion(reply: Reply) {
  const message = "text" in reply ? { role: "assistant", content: reply.text } : { role: "assistant", content: null, tool_calls: toolCallsOf(reply.call) };
  const finish = "text" in reply ? "stop" : "tool_calls";
  return {
    ...base(),
    object: "chat.completion",
    choices: [{ index: 0, message, finish_reason: finish }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function streamReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: object, finish: string | null) => ({
    ...base(),
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const delta = "text" in reply ? { role: "assistant", content: reply.text } : { role: "assistant", tool_calls: toolCallsOf(reply.call) };
  for (const event of [chunk(delta, null), chunk({}, "text" in reply ? "stop" : "tool_calls")]) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end("data: [DONE]\n\n");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = "";
    req.setEncoding("utf8");
    req
      .on("data", (chunk: string) => (text += chunk))
      .on("end", () => done(text))
      .on("error", fail);
  });
}
