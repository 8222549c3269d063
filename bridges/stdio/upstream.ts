// The SDK client of one stdio server and the transport that spawns it, and what the bridge says
// when starting it or calling it fails: its own words, never what the server wrote.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { StdioServer } from "../../schema/catalog/index.ts";
import { BridgeError } from "../errors.ts";
import { pipeLines } from "../log.ts";
import type { UpstreamIdentity } from "./server-store.ts";
import { RESULT_TOO_LARGE, StdioTransport, StdioTransportError } from "./stdio-transport.ts";

export interface Upstream {
  client: Client;
  transport: StdioTransport;
}

export interface UpstreamOptions {
  /** Absolute working directory of the child. */
  cwd: string;
  /** Prepended to PATH, so catalogs can name the bundled servers' commands. */
  binDirs: string[];
  maxResultBytes: number;
}

/** A client and its transport, not yet connected; `onError` gets each transport failure, described. */
export function newUpstream(server: StdioServer, options: UpstreamOptions, onError: (description: string) => void): Upstream {
  const transport = new StdioTransport({
    command: server.command,
    args: server.args,
    cwd: options.cwd,
    env: { ...getDefaultEnvironment(), PATH: [...options.binDirs, process.env.PATH ?? ""].join(":"), ...server.env },
    maxMessageBytes: options.maxResultBytes,
  });
  pipeLines(transport.stderr, `[${server.name}] `);
  transport.onerror = (error) => onError(error instanceof StdioTransportError ? error.message : "the connection failed");
  const client = new Client({ name: "mcp-proxy-bridge", version: "0.1.0" }, { capabilities: {} });
  return { client, transport };
}

/** Connects; throws the reason it could not start, in the bridge's words. */
export async function connectUpstream({ client, transport }: Upstream, startTimeoutMs: number): Promise<void> {
  try {
    await client.connect(transport, { timeout: startTimeoutMs });
  } catch (error) {
    const reason = startFailure(error, transport, startTimeoutMs); // before closing changes how it ended
    await client.close().catch(() => {});
    throw new StdioTransportError(reason);
  }
  if (transport.exitReason) throw new StdioTransportError(`${transport.exitReason} right after answering initialize`);
}

export function identityOf(client: Client, name: string): UpstreamIdentity {
  const instructions = client.getInstructions();
  return {
    capabilities: client.getServerCapabilities() ?? {},
    serverInfo: client.getServerVersion() ?? { name, version: "unknown" },
    ...(instructions ? { instructions } : {}),
  };
}

export interface FailedCall {
  server: string;
  method: string;
  timeoutMs: number;
  /** Why the process ended, if it did while the call was in flight. */
  exited?: string;
}

/** The error a failed call gets: a BridgeError when the bridge can say what happened. */
export function callFailure(error: unknown, { server, method, timeoutMs, exited }: FailedCall): unknown {
  if (error instanceof McpError && error.code === RESULT_TOO_LARGE) {
    const { bytes, limit } = error.data as { bytes: number; limit: number };
    const message = `MCP server '${server}' answered ${method} with ${bytes} bytes, over the limit of ${limit} bytes (MAX_RESULT_BYTES)`;
    return new BridgeError("failed", message, { reason: "result_too_large", cause: error });
  }
  if (exited) return new BridgeError("failed", `MCP server '${server}' exited while handling ${method}: ${exited}`, { cause: error });
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return new BridgeError("timeout", `MCP server '${server}' did not answer ${method} within ${timeoutMs} ms`, { cause: error });
  }
  return error;
}

function startFailure(error: unknown, transport: StdioTransport, startTimeoutMs: number): string {
  if (error instanceof StdioTransportError) return error.message;
  if (transport.exitReason) return `${transport.exitReason} before answering initialize`;
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return `it did not answer initialize within ${startTimeoutMs} ms`;
  if (error instanceof McpError) return `it refused initialize (JSON-RPC error ${error.code})`;
  return "its answer to initialize was not accepted";
}
