// 1 and 2: the same echo tool on the same stdio server, called directly over stdio (the limit),
// through the whole proxy, through our bridge alone, and through the peers (supergateway, mcpo).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../scripts/stack.ts";
import { freePort } from "../../scripts/free-port.ts";
import { callLoad, httpLoad, median, type Figures } from "../lib/load.ts";
import { treeRssMb } from "../lib/memory.ts";
import { echoCall, openSession, startMcpo, startSupergateway, waitForPort } from "../lib/peers.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

export const CONCURRENCY = [1, 10, 50];
export type Path = "direct" | "proxy" | "bridge" | "supergateway" | "mcpo";
export type OverheadResult = { figures: Record<Path, Record<number, ReturnType<typeof median>>>; memoryMb: Record<string, number> };

export interface Settings {
  seconds: number;
  runs: number;
}

async function series(measure: (concurrency: number) => Promise<Figures>, { runs }: Settings) {
  const out: Record<number, ReturnType<typeof median>> = {};
  for (const concurrency of CONCURRENCY) {
    await measure(concurrency); // warm-up run, not counted
    const results: Figures[] = [];
    for (let i = 0; i < runs; i += 1) results.push(await measure(concurrency));
    out[concurrency] = median(results);
  }
  return out;
}

export async function overhead(settings: Settings): Promise<OverheadResult> {
  const figures = {} as OverheadResult["figures"];
  const memoryMb: Record<string, number> = {};
  const post = (url: string, body: string | (() => string), headers: Record<string, string>) => (connections: number) =>
    httpLoad({ url, body, headers: { "content-type": "application/json", ...headers }, connections, seconds: settings.seconds });

  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: join(ROOT, "node_modules/.bin/mcp-server-everything") }));
  const echo = () => client.request({ method: "tools/call", params: { name: "echo", arguments: { message: "hi" } } }, CallToolResultSchema);
  figures.direct = await series((c) => callLoad(echo, c, settings.seconds), settings);
  await client.close();

  const stack = await benchStack({ everything: { command: "mcp-server-everything" } });
  try {
    await waitHealthy(stack.url);
    figures.proxy = await series(post(`${stack.url}/everything/echo`, '{"message":"hi"}', {}), settings);
    memoryMb.proxyStack = treeRssMb([stack.bridge.pid!, stack.worker.pid!]);
    const bridgeUrl = `${stack.bridgeUrl}/servers/everything/mcp`;
    const session = await openSession(bridgeUrl, { authorization: `Bearer ${stack.bridgeToken}` });
    figures.bridge = await series(post(bridgeUrl, echoCall, session), settings);
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
      figures[name] = await series(post(url, body, headers), settings);
      memoryMb[name] = treeRssMb([child.pid!]);
    } finally {
      child.kill("SIGKILL");
    }
  };
  await peer("supergateway", startSupergateway, "/mcp", echoCall, true);
  await peer("mcpo", startMcpo, "/echo", '{"message":"hi"}', false);
  return { figures, memoryMb };
}
