// `npm start`'s own settings: where it serves the proxy. The bridge's and the worker's are theirs
// (bridges/config.ts, functions/settings.ts); `npm start` checks the worker's before starting it.
import { port, type SettingList, text } from "../schema/settings.ts";

export const START_SETTINGS = {
  PORT: { type: port(), default: "8000", doc: "the port `npm start` serves the proxy on" },
  HOST: {
    type: text(),
    default: "127.0.0.1",
    doc: "the address `npm start` serves the proxy on; on a loopback address `ALLOWED_HOSTS` defaults to the loopback names",
  },
} satisfies SettingList;

/**
 * The worker's LOG_FORMAT as `npm start` chooses it: workerd cannot tell whether its output is a
 * terminal, so on one (our standard error) the worker writes text, unless LOG_FORMAT is set.
 */
export function logFormatFor(env: NodeJS.ProcessEnv, stderrIsTerminal: boolean): Record<string, string> {
  return stderrIsTerminal && !env.LOG_FORMAT?.trim() ? { LOG_FORMAT: "text" } : {};
}
