// `npm start` (workerd, as in production) and `npm run dev` (wrangler dev, live reload).
import { buildBridge, buildWorker, startStack } from "./stack.ts";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT) || 8000;
const bridgePort = Number(process.env.BRIDGE_PORT) || 8001;

if (!dev) buildWorker();
buildBridge();
const stack = await startStack({ port, bridgePort, host: process.env.HOST || "127.0.0.1", dev, ...(process.env.MCP_CATALOG ? { catalog: process.env.MCP_CATALOG } : {}) }).catch(
  (error: Error) => {
    console.error(`[start] ${error.message}`);
    process.exit(1);
  },
);
console.error(`[start] MCP Proxy is up at ${stack.url}  (try ${stack.url}/health, ${stack.url}/openapi.json, ${stack.url}/docs)`);

const shutdown = async (code: number) => {
  await stack.stop();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
for (const child of [stack.bridge, stack.worker]) {
  child.once("exit", (code) => {
    console.error(`[start] a process exited (code ${code}); stopping`);
    void shutdown(code || 1);
  });
}
