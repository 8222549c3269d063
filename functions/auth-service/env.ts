// The service's bindings, and their settings parsed once per isolate.
import type { Context } from "hono";
import { parsedOncePer } from "../../schema/settings.ts";
import { configureLog } from "./log.ts";
import { type AUTH_SERVICE_SETTINGS, type AuthServiceSettings, readAuthServiceSettings } from "./settings.ts";

/** Every setting of settings.ts as text (workerd gives null for an unset one). */
export type Env = { readonly [Name in keyof typeof AUTH_SERVICE_SETTINGS]?: string | null };

export type AuthEnv = { Bindings: Env; Variables: { settings: AuthServiceSettings } };
export type AuthContext = Context<AuthEnv>;

/** Bad settings: every request is answered 503 naming them. */
export class Misconfigured extends Error {
  override name = "Misconfigured";
}

/** The settings of these bindings, parsed on first use; bad ones throw Misconfigured on every request. */
export const settingsOf = parsedOncePer<AuthServiceSettings>((env) => {
  const read = readAuthServiceSettings(env);
  if ("problems" in read) return new Misconfigured(`The auth service refuses every request until its settings are fixed: ${read.problems.join("; ")}`);
  configureLog(read.settings);
  return read.settings;
});
