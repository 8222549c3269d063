// A compose file's services as `docker compose config` would give them, for tests that take
// their settings from the files users run: `extends` resolved (mappings such as environment and
// labels merged, everything else overridden) and ${VAR} interpolation with the given variables.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { ROOT } from "../../scripts/stack.ts";

export type ComposeService = Record<string, any> & {
  command?: string[];
  environment?: Record<string, string>;
  labels?: Record<string, string>;
};

/** ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message} and $$, as Compose reads them. */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (match, name?: string, colon?: string, op?: string, arg?: string) => {
    if (match === "$$") return "$";
    const value = vars[name!];
    const unset = value === undefined || (colon === ":" && value === "");
    if (op === "-") return unset ? arg! : value!;
    if (op === "?" && unset) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return value ?? "";
  });
}

function fill(value: unknown, vars: Record<string, string | undefined>): any {
  if (typeof value === "string") return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((item) => fill(item, vars));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, vars)]));
  return value;
}

/** Lists of KEY=value (environment, labels) as mappings. */
function asMap(value: unknown): Record<string, string> | undefined {
  if (!Array.isArray(value)) return value as Record<string, string> | undefined;
  return Object.fromEntries(value.map((entry: string) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
}

function loadService(file: string, name: string): ComposeService {
  const services = parse(readFileSync(file, "utf8"), { merge: true }).services as Record<string, ComposeService>;
  const own = services[name];
  if (!own) throw new Error(`${file} has no service ${name}`);
  const { extends: base, ...rest } = own;
  const merged: ComposeService = base ? loadService(resolve(dirname(file), base.file ?? file), base.service) : {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === "environment" || key === "labels") merged[key] = { ...asMap(merged[key]), ...asMap(value) };
    else if (key === "volumes")
      merged[key] = (value as unknown[]).map((volume) => (typeof volume === "string" && volume.startsWith(".") ? resolve(dirname(file), volume) : volume));
    else merged[key] = value;
  }
  return merged;
}

/** The services of a compose file (relative to the repository; all, or those named), with extends resolved and ${VAR}s filled in from vars. */
export function composeServices(file: string, vars: Record<string, string | undefined>, only?: string[]): Record<string, ComposeService> {
  const path = join(ROOT, file);
  const names = only ?? Object.keys(parse(readFileSync(path, "utf8"), { merge: true }).services);
  return Object.fromEntries(names.map((name) => [name, fill(loadService(path, name), vars)]));
}
