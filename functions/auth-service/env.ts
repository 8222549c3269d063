// The service's bindings, and their settings parsed once per isolate.
import type { Context } from "hono";
import type { SettingSource } from "../../schema/settings.ts";
import { setLogLevel } from "./log.ts";
import { type AUTH_SERVICE_SETTINGS, type AuthServiceSettings, readAuthServiceSettings } from "./settings.ts";

/** Every setting of settings.ts as text (workerd gives null for an unset one). */
export type Env = { readonly [Name in keyof typeof AUTH_SERVICE_SETTINGS]?: string | null };

export type AuthEnv = { Bindings: Env; Variables: { settings: AuthServiceSettings } };
export type AuthContext = Context<AuthEnv>;

/** Bad settings: every request is answered 503 naming them. */
export class Misconfigured extends Error {
  override name = "Misconfigured";
}

const parsedFor = new WeakMap<object, AuthServiceSettings | Misconfigured>();

export function settingsOf(env: SettingSource): AuthServiceSettings {
  let parsed = parsedFor.get(env);
  if (parsed === undefined) {
    const read = readAuthServiceSettings(env);
    parsed =
      "settings" in read
        ? read.settings
        : new Misconfigured(`The auth service refuses every request until its settings are fixed: ${read.problems.join("; ")}`);
    parsedFor.set(env, parsed);
    if (!(parsed instanceof Misconfigured)) setLogLevel(parsed.LOG_LEVEL);
  }
  if (parsed instanceof Misconfigured) throw parsed;
  return parsed;
}
