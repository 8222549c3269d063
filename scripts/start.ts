// `npm start` (workerd, as in production) and `npm run dev` (wrangler dev, live reload). A crashed
// bridge or worker is started again (scripts/supervisor.ts); Ctrl-C or SIGTERM stops both.
import { EXIT_REFUSED_CONFIGURATION } from "../bridges/config.ts";
import { buildBridge, buildWorker, startStack } from "./stack.ts";
import { Supervisor, type Exit } from "./supervisor.ts";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT) || 8000;
const bridgePort = Number(process.env.BRIDGE_PORT) || 8001;

if (!dev) buildWorker();
buildBridge();
const stack = await startStack({
  port,
  bridgePort,
  host: process.env.HOST || "127.0.0.1",
  dev,
  ...(process.env.MCP_CATALOG ? { catalog: process.env.MCP_CATALOG } : {}),
}).catch((error: Error) => {
  console.error(`[start] ${error.message}`);
  process.exit(1);
});
console.error(`[start] MCP Proxy is up at ${stack.url}  (try ${stack.url}/health, ${stack.url}/openapi.json, ${stack.url}/docs)`);

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
  process.exit(code);
};
const log = (line: string) => console.error(`[start] ${line}`);
const supervisors = [
  new Supervisor({
    name: "the bridge",
    first: stack.bridge,
    start: stack.restart.bridge,
    hopeless: (exit: Exit) => (exit.code === EXIT_REFUSED_CONFIGURATION ? `refused its configuration (exit code ${exit.code})` : undefined),
    onStop: (code) => void shutdown(code),
    log,
  }),
  new Supervisor({ name: "the worker", first: stack.worker, start: stack.restart.worker, onStop: (code) => void shutdown(code), log }),
];
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
