// `npm start` (workerd, as in production) and `npm run dev` (wrangler dev, live reload). A crashed
// bridge or worker is started again (scripts/supervisor.ts); Ctrl-C or SIGTERM stops both.
import { BRIDGE_SETTINGS, EXIT_REFUSED_CONFIGURATION } from "../bridges/config.ts";
import { parseSettings } from "../schema/settings.ts";
import { logFormatFor, START_SETTINGS } from "./start-settings.ts";
import { buildBridge, buildWorker, checkWorkerSettings, RefusedSettings, startStack, type StackOptions } from "./stack.ts";
import { Supervisor, type Exit } from "./supervisor.ts";

const dev = process.argv.includes("--dev");
const parsed = parseSettings({ ...START_SETTINGS, BRIDGE_PORT: BRIDGE_SETTINGS.BRIDGE_PORT }, process.env);
if (!parsed.ok) {
  console.error(`[start] cannot start: ${parsed.problems.join("; ")}`);
  process.exit(EXIT_REFUSED_CONFIGURATION);
}
const { PORT, HOST, BRIDGE_PORT } = parsed.settings;
// The bridge takes MCP_CATALOG and its other settings from the environment it inherits.
const env = logFormatFor(process.env, process.stderr.isTTY === true);
const options: StackOptions = { port: PORT, bridgePort: BRIDGE_PORT, host: HOST, dev, env };
const refuse = (error: Error): never => {
  console.error(`[start] ${error instanceof RefusedSettings ? "cannot start: " : ""}${error.message}`);
  process.exit(error instanceof RefusedSettings ? EXIT_REFUSED_CONFIGURATION : 1);
};

try {
  checkWorkerSettings(options); // before the minutes spent building
} catch (error) {
  refuse(error as Error);
}
if (!dev) buildWorker();
buildBridge();
const stack = await startStack(options).catch(refuse);
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
