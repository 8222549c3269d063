// The real Open WebUI (from the virtualenv scripts/openwebui-venv.sh makes), started offline on a
// fresh data folder against a model server the test owns, and a small client for its API.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "../../scripts/stack.ts";

export const OPENWEBUI_VENV = resolve(ROOT, process.env.OPENWEBUI_VENV ?? ".build/openwebui-venv");

const START_TIMEOUT_MS = 240_000;
const LOG_LIMIT = 1_000_000;

export interface OpenWebUIOptions {
  port: number;
  /** Base URL of the OpenAI-compatible model server (without /v1). */
  modelUrl: string;
  /** Extra settings: TOOL_SERVER_CONNECTIONS, ENABLE_FORWARD_USER_INFO_HEADERS, ... */
  env?: Record<string, string>;
}

export interface OpenWebUI {
  url: string;
  client: OpenWebUIClient;
  /** The last characters Open WebUI printed. */
  log(chars?: number): string;
  stop(): Promise<void>;
}

export async function startOpenWebUI(options: OpenWebUIOptions): Promise<OpenWebUI> {
  const bin = join(OPENWEBUI_VENV, "bin/open-webui");
  if (!existsSync(bin)) throw new Error(`no ${bin}: run scripts/openwebui-venv.sh (OPENWEBUI_VENV names another virtualenv)`);
  const dir = mkdtempSync(join(tmpdir(), "openwebui-test-"));
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(bin, ["serve", "--host", "127.0.0.1", "--port", String(options.port)], {
    cwd: dir,
    env: { ...process.env, ...offlineEnv(dir, options.modelUrl), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stop() reaches uvicorn's workers too.
    detached: true,
  });
  let output = "";
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-LOG_LIMIT));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.on("error", (error) => (output += `\n${error.message}`));
  const log = (chars = 4_000) => output.slice(-chars);
  const stop = async () => {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, client: new OpenWebUIClient(url), log, stop };
}

function offlineEnv(dir: string, modelUrl: string): Record<string, string> {
  return {
    DATA_DIR: join(dir, "data"),
    // Its default is inside the installed package, which it would otherwise rewrite on every start.
    STATIC_DIR: join(dir, "static"),
    PYTHONDONTWRITEBYTECODE: "1",
    HF_HOME: join(dir, "hf"),
    WEBUI_SECRET_KEY: randomBytes(32).toString("hex"),
    OFFLINE_MODE: "True",
    HF_HUB_OFFLINE: "1",
    ENABLE_OLLAMA_API: "False",
    ENABLE_OPENAI_API: "True",
    OPENAI_API_BASE_URL: `${modelUrl}/v1`,
    OPENAI_API_KEY: "fake-key",
    BYPASS_EMBEDDING_AND_RETRIEVAL: "True",
    RAG_EMBEDDING_ENGINE: "openai",
    ENABLE_TITLE_GENERATION: "False",
    ENABLE_TAGS_GENERATION: "False",
    ENABLE_FOLLOW_UP_GENERATION: "False",
    ENABLE_AUTOCOMPLETE_GENERATION: "False",
    ENABLE_VERSION_UPDATE_CHECK: "False",
    DEFAULT_USER_ROLE: "user",
    // Otherwise a non-admin sees no model until an admin shares one; tool access is what is tested.
    BYPASS_MODEL_ACCESS_CONTROL: "True",
  };
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`Open WebUI exited during start-up (${child.exitCode ?? child.signalCode}):\n${log()}`);
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`Open WebUI did not answer ${url}/health within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group is already gone.
    }
  };
  signal("SIGTERM");
  const force = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(force);
  signal("SIGKILL");
}

export interface Account {
  id: string;
  name: string;
  email: string;
  role: string;
  token: string;
}

export interface ChatOptions {
  model: string;
  toolIds: string[];
  prompt: string;
}

export interface SavedMessage {
  id: string;
  role: string;
  content: string;
  done?: boolean;
  error?: { content: string };
  /** The turn's items: function_call, function_call_output, message. */
  output?: { type: string; name?: string; arguments?: string; output?: unknown; status?: string }[];
}

export interface SavedChat {
  id: string;
  user_id: string;
  chat: { history: { currentId: string | null; messages: Record<string, SavedMessage> } };
}

export interface ChatResult {
  /** The body sent to POST /api/chat/completions. */
  request: Record<string, unknown>;
  saved: SavedChat;
  reply: SavedMessage;
}

const REPLY_TIMEOUT_MS = 60_000;

export class OpenWebUIClient {
  constructor(readonly url: string) {}

  /** The first account signed up becomes the admin; 0.12 then turns public sign-up off. */
  signup(name: string, email: string, password: string): Promise<Account> {
    return this.call("POST", "/api/v1/auths/signup", undefined, { name, email, password });
  }

  /** An account created by an admin: how later users join once sign-up is off. */
  addUser(adminToken: string, name: string, email: string, password: string, role = "user"): Promise<Account> {
    return this.call("POST", "/api/v1/auths/add", adminToken, { name, email, password, role });
  }

  signin(email: string, password: string): Promise<Account> {
    return this.call("POST", "/api/v1/auths/signin", undefined, { email, password });
  }

  /** The signed-in user, as Open WebUI knows them. */
  me(token: string): Promise<Account> {
    return this.call("GET", "/api/v1/auths/", token);
  }

  tools(token: string): Promise<{ id: string; name: string }[]> {
    return this.call("GET", "/api/v1/tools/", token);
  }

  /**
   * One user turn in a new saved chat. Tools run server-side only for a chat that exists, so the
   * chat is created first; given its chat_id, Open WebUI runs the whole turn (tool calls included)
   * before it answers, saving the result on the chat.
   */
  async chat(token: string, options: ChatOptions): Promise<ChatResult> {
    const emptyChat = { title: "Test chat", models: [options.model], history: { messages: {}, currentId: null }, messages: [] };
    const created = await this.call<{ id: string }>("POST", "/api/v1/chats/new", token, { chat: emptyChat });
    const request = completionBody(created.id, options);
    const response = await this.send("POST", "/api/chat/completions", token, request);
    const answer = await response.text();
    if (!response.ok) throw new Error(`POST /api/chat/completions answered ${response.status}: ${answer}`);
    const saved = await this.waitForReply(token, created.id, request.id);
    return { request, saved, reply: saved.chat.history.messages[request.id] };
  }

  private async waitForReply(token: string, chatId: string, messageId: string): Promise<SavedChat> {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const saved = await this.call<SavedChat>("GET", `/api/v1/chats/${chatId}`, token);
      const reply = saved.chat.history.messages[messageId];
      if (reply?.error) throw new Error(`the reply failed: ${reply.error.content}`);
      if (reply?.done) return saved;
      if (Date.now() > deadline) throw new Error(`no final reply in chat ${chatId} after ${REPLY_TIMEOUT_MS / 1000} s: ${JSON.stringify(reply)}`);
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  private async call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, token, body);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** One API request; the team stack's journey sends it from inside a signed-in browser page instead. */
  protected send(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }
}

/** What the web UI sends for a new turn, less session_id (which would move the turn to a background task). */
function completionBody(chatId: string, { model, toolIds, prompt }: ChatOptions) {
  const userMessage = { id: randomUUID(), parentId: null, role: "user", content: prompt, models: [model] };
  return {
    model,
    chat_id: chatId,
    id: randomUUID(),
    user_message: userMessage,
    messages: [{ role: "user", content: prompt }],
    tool_ids: toolIds,
    stream: true,
  };
}
