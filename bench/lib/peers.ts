// The peers the proxy is measured against, started on this machine: supergateway (npm) and
// mcpo (PyPI, in a virtualenv under .build/bench-venv, pinned in bench/requirements-mcpo.txt).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";

const REQUIREMENTS = join(ROOT, "bench/requirements-mcpo.txt");
const VENV = join(ROOT, ".build/bench-venv");
const BIN = join(ROOT, "node_modules/.bin");

export function ensureMcpo(): string {
  const mcpo = join(VENV, "bin/mcpo");
  if (!existsSync(mcpo)) {
    spawnSync("python3", ["-m", "venv", VENV], { stdio: "inherit" });
    const pip = spawnSync(join(VENV, "bin/pip"), ["install", "-q", "-r", REQUIREMENTS], { stdio: ["ignore", "ignore", "inherit"] });
    if (pip.status !== 0) throw new Error("could not install mcpo");
  }
  return mcpo;
}

export function startMcpo(port: number): ChildProcess {
  return spawn(ensureMcpo(), ["--host", "127.0.0.1", "--port", String(port), "--", join(BIN, "mcp-server-everything")], { stdio: "ignore" });
}

export function startSupergateway(port: number): ChildProcess {
  const args = [
    "--stdio",
    join(BIN, "mcp-server-everything"),
    "--outputTransport",
    "streamableHttp",
    "--stateful",
    "--port",
    String(port),
    "--logLevel",
    "none",
  ];
  return spawn(join(BIN, "supergateway"), args, { stdio: "ignore" });
}

export async function waitForPort(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url, { method: "GET" }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`nothing answered ${url}`);
}

/**
 * Opens a Streamable HTTP MCP session (initialize, then notifications/initialized) and returns the
 * headers a real client sends on every later request: the session id the server handed out, if any,
 * and the protocol version asked for.
 */
export async function openSession(url: string, headers: Record<string, string> = {}, protocolVersion = "2025-06-18"): Promise<Record<string, string>> {
  const base = { ...headers, "content-type": "application/json", accept: "application/json, text/event-stream" };
  const init = await fetch(url, {
    method: "POST",
    headers: base,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion, capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    }),
  });
  const session = init.headers.get("mcp-session-id");
  const answer = await init.text();
  if (!init.ok || !isResult(answer)) throw new Error(`initialize at ${url} failed: ${init.status} ${answer.slice(0, 200)}`);
  const withSession = { ...base, ...(session ? { "mcp-session-id": session } : {}), "mcp-protocol-version": protocolVersion };
  await (await fetch(url, { method: "POST", headers: withSession, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).text();
  return withSession;
}

let nextId = 1;
/** Bodies of a tools/call of `name` with a new id each time: ids must be unique within a session. */
export function toolCall(name: string, args: Record<string, unknown>): () => string {
  return () => {
    nextId += 1;
    return JSON.stringify({ jsonrpc: "2.0", id: nextId, method: "tools/call", params: { name, arguments: args } });
  };
}

/** The headers a client of the stateless 2026-07-28 revision sends with a tools/call of `name`: no session; version, method and name. */
export function modernHeaders(name: string): Record<string, string> {
  return { accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": name };
}

/** The same tools/call in the 2026-07-28 revision: the protocol version and the client in `_meta`. */
export function modernToolCall(name: string, args: Record<string, unknown>): () => string {
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  return () => {
    nextId += 1;
    return JSON.stringify({ jsonrpc: "2.0", id: nextId, method: "tools/call", params: { name, arguments: args, _meta } });
  };
}

/** A tools/call of server-everything's echo, as it names it. */
export const echoCall = toolCall("echo", { message: "hi" });

/**
 * Whether an answer (a JSON body, or an SSE stream of JSON-RPC messages) is a JSON-RPC result
 * without `error`, and, for a tool call, without `isError`.
 */
export function isResult(body: string): boolean {
  const text = body.trimStart();
  const messages = text.startsWith("{")
    ? [text]
    : text
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5));
  if (messages.length === 0) return false;
  try {
    const last = JSON.parse(messages[messages.length - 1]!);
    return last.jsonrpc === "2.0" && last.error === undefined && typeof last.result === "object" && last.result?.isError !== true;
  } catch {
    return false;
  }
}
