// 1 and 2: the same echo tool on the same stdio server, called directly over stdio (the limit),
// through the whole proxy (its OpenAPI face, POST /everything/echo, and its MCP face, a tools/call
// of everything_echo on POST /mcp, measured in turns on the same stack), through our bridge alone,
// and through the peers (supergateway, mcpo).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";
import { freePort } from "../../scripts/free-port.ts";
import { cpuMs } from "../lib/cpu.ts";
import { callLoad, httpLoad, median, type Figures } from "../lib/load.ts";
import { treeRssMb } from "../lib/memory.ts";
import { echoCall, isResult, modernHeaders, modernToolCall, openSession, startMcpo, startSupergateway, toolCall, waitForPort } from "../lib/peers.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export const CONCURRENCY = [1, 10, 50];
export type Path = "direct" | "proxy" | "mcp" | "mcpModern" | "bridge" | "supergateway" | "mcpo";
export type OverheadResult = { figures: Partial<Record<Path, Record<number, ReturnType<typeof median>>>>; memoryMb: Record<string, number> };
/** The MCP protocol version the /mcp load speaks (the SDK's latest), as a client that initialised with it. */
export const MCP_PROTOCOL_VERSION = "2025-11-25";

export interface Settings {
  seconds: number;
  runs: number;
}

type Measure = (concurrency: number) => Promise<Figures>;

/**
 * Each path at each concurrency: a warm-up run (not counted), then `runs` runs whose median is kept.
 * Several paths are measured in turns (a, b, a, b, …), so that a slow spell of the shared machine
 * falls on all of them rather than on one.
 */
async function series<P extends string>(measures: Record<P, Measure>, { runs }: Settings) {
  const paths = Object.keys(measures) as P[];
  const out = Object.fromEntries(paths.map((path) => [path, {}])) as Record<P, Record<number, ReturnType<typeof median>>>;
  for (const concurrency of CONCURRENCY) {
    for (const path of paths) await measures[path](concurrency);
    const results = Object.fromEntries(paths.map((path) => [path, [] as Figures[]])) as Record<P, Figures[]>;
    for (let i = 0; i < runs; i += 1) for (const path of paths) results[path].push(await measures[path](concurrency));
    for (const path of paths) out[path][concurrency] = median(results[path]);
  }
  return out;
}

/** A measure that also tells the CPU time per call each process used (µs), when /proc can say. */
function withCpu(pids: Record<string, number | undefined>, measure: Measure): Measure {
  return async (concurrency) => {
    const before = Object.entries(pids).map(([name, pid]) => [name, pid, cpuMs(pid)] as const);
    const figures = await measure(concurrency);
    const cpuUs: Record<string, number> = {};
    for (const [name, pid, start] of before) {
      const end = cpuMs(pid);
      if (start !== undefined && end !== undefined && figures.requests > 0) cpuUs[name] = Math.round(((end - start) * 1000) / figures.requests);
    }
    return { ...figures, cpuUs };
  };
}

export async function overhead(settings: Settings): Promise<OverheadResult> {
  const figures = {} as OverheadResult["figures"];
  const memoryMb: Record<string, number> = {};
  const post = (url: string, body: string | (() => string), headers: Record<string, string>, valid?: (body: string) => boolean) => (connections: number) =>
    httpLoad({ url, body, headers: { "content-type": "application/json", ...headers }, connections, seconds: settings.seconds, valid });

  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: join(ROOT, "node_modules/.bin/mcp-server-everything") }));
  const echo = () => client.request({ method: "tools/call", params: { name: "echo", arguments: { message: "hi" } } }, CallToolResultSchema);
  figures.direct = (await series({ direct: (c) => callLoad(echo, c, settings.seconds) }, settings)).direct;
  await client.close();

  const stack = await benchStack({ everything: { command: "mcp-server-everything" } });
  try {
    await waitHealthy(stack.url);
    const cpu = { workerd: stack.worker.pid, bridge: stack.bridge.pid };
    // What an MCP client sends after initialising: one real initialize gives the session id.
    const mcpUrl = `${stack.url}/mcp`;
    const mcpSession = await openSession(mcpUrl, {}, MCP_PROTOCOL_VERSION);
    const { proxy, mcp, mcpModern } = await series(
      {
        proxy: withCpu(cpu, post(`${stack.url}/everything/echo`, '{"message":"hi"}', {})),
        mcp: withCpu(cpu, post(mcpUrl, toolCall("everything_echo", { message: "hi" }), mcpSession, isResult)),
        mcpModern: withCpu(cpu, post(mcpUrl, modernToolCall("everything_echo", { message: "hi" }), modernHeaders("everything_echo"), isResult)),
      },
      settings,
    );
    Object.assign(figures, { proxy, mcp, mcpModern });
    memoryMb.proxyStack = treeRssMb([stack.bridge.pid!, stack.worker.pid!]);
    const bridgeUrl = `${stack.bridgeUrl}/servers/everything/mcp`;
    const session = await openSession(bridgeUrl, { authorization: `Bearer ${stack.bridgeToken}` });
    figures.bridge = (await series({ bridge: withCpu({ bridge: stack.bridge.pid }, post(bridgeUrl, echoCall, session, isResult)) }, settings)).bridge;
    memoryMb.bridge = treeRssMb([stack.bridge.pid!]);
  } finally {
    await stack.stop();
  }

  const peer = async (name: "supergateway" | "mcpo", start: (port: number) => ChildProcess, path: string, body: string | (() => string), session: boolean) => {
    const port = await freePort();
    const child = start(port);
    try {
      await waitForPort(`http://127.0.0.1:${port}/`);
      const url = `http://127.0.0.1:${port}${path}`;
      const headers = session ? await openSession(url) : {};
      figures[name] = (await series({ peer: post(url, body, headers, session ? isResult : undefined) }, settings)).peer;
      memoryMb[name] = treeRssMb([child.pid!]);
    } finally {
      child.kill("SIGKILL");
    }
  };
  await peer("supergateway", startSupergateway, "/mcp", echoCall, true);
  await peer("mcpo", startMcpo, "/echo", '{"message":"hi"}', false);
  return { figures, memoryMb };
}
