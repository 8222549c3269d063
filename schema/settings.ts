// How the worker and the bridge declare their settings: one list per side, each entry a parser, its
// default and one line for the README. A side parses its list once at start-up; a bad value stops
// it, naming the variable and what is wrong, instead of quietly falling back to the default. The
// README's settings tables (scripts/settings-table.ts) and workerd's bindings are generated from
// the lists, so a setting is added in one place.
import { z } from "zod";

export interface Setting<T = unknown> {
  /** Parses the variable's text; it never sees an unset or empty variable (see `default`, `unset`). */
  type: z.ZodType<T, string>;
  /** One line for the README: what the setting does. */
  doc: string;
  /** The value when unset or empty, written as in the environment (it is parsed like one). */
  default?: string;
  /** No default: what leaving it unset means (for the README); it then reads as undefined. Neither this nor `default`: required. */
  unset?: string;
  /** Never shown in an error message. */
  secret?: true;
  /** Read byte for byte (a signing key); every other value is read without surrounding whitespace, as HTTP reads a header. */
  exact?: true;
}

export type SettingList = Record<string, Setting>;

/** The parsed values, under the variables' names. */
export type Settings<L extends SettingList> = {
  [K in keyof L]: L[K] extends { default: string }
    ? z.output<L[K]["type"]>
    : L[K] extends { unset: string }
      ? z.output<L[K]["type"]> | undefined
      : z.output<L[K]["type"]>;
};

/** Where the values come from: process.env, or the worker's bindings (workerd gives null for an unset one). */
export type SettingSource = Readonly<Record<string, unknown>>;

export type ParsedSettings<L extends SettingList> = { ok: true; settings: Settings<L> } | { ok: false; problems: string[] };

export function parseSettings<L extends SettingList>(list: L, source: SettingSource): ParsedSettings<L> {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(list)) {
    const read = readOne(name, setting, source[name]);
    if (read.ok) settings[name] = read.value;
    else problems.push(read.problem);
  }
  return problems.length === 0 ? { ok: true, settings: settings as Settings<L> } : { ok: false, problems };
}

type Read = { ok: true; value: unknown } | { ok: false; problem: string };

function readOne(name: string, setting: Setting, value: unknown): Read {
  const raw = typeof value === "string" ? value : "";
  const text = setting.exact ? raw : raw.trim();
  if (text === "" && setting.default === undefined) {
    return setting.unset !== undefined ? { ok: true, value: undefined } : { ok: false, problem: `${name} must be set: ${setting.doc}` };
  }
  const parsed = setting.type.safeParse(text === "" ? setting.default : text);
  if (parsed.success) return { ok: true, value: parsed.data };
  const what = parsed.error.issues[0]?.message ?? "is not valid";
  return { ok: false, problem: setting.secret ? `${name} ${what}` : `${name} ${JSON.stringify(text)} ${what}` };
}

/**
 * `parse` run once per bindings object: workerd hands every request of an isolate the same one. A
 * failure (bad settings) is kept too, and thrown again on every request.
 */
export function parsedOncePer<T>(parse: (source: SettingSource) => T | Error): (source: SettingSource) => T {
  const parsed = new WeakMap<object, T | Error>();
  return (source) => {
    let value = parsed.get(source);
    if (value === undefined) {
      value = parse(source);
      parsed.set(source, value);
    }
    if (value instanceof Error) throw value;
    return value;
  };
}

// The types settings are written in; each message completes `NAME "value" ...`.

/** A count of `unit`: digits only, so "4MB", "-1" and "1e3" are refused rather than guessed at. */
export function wholeNumber(unit: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): z.ZodType<number, string> {
  const range = max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` of at least ${min}` : "";
  return digits(`is not a whole number of ${unit}${range}`, min, max);
}

export function port(): z.ZodType<number, string> {
  return digits("is not a port number (0 to 65535)", 0, 65535);
}

function digits(problem: string, min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d+$/, problem)
    .transform(Number)
    .refine((n) => n >= min && n <= max, problem);
}

export function oneOf<const V extends readonly [string, ...string[]]>(values: V): z.ZodType<V[number], string> {
  return z
    .string()
    .refine((text) => values.includes(text), `is not one of ${values.join(", ")}`)
    .transform((text) => text as V[number]);
}

export function text({ minLength = 1 } = {}): z.ZodType<string, string> {
  return z.string().min(minLength, `must be at least ${minLength} characters`);
}

export function httpUrl(): z.ZodType<string, string> {
  return z.string().refine((text) => /^https?:$/.test(protocolOf(text)), "is not an http(s) URL");
}

function protocolOf(text: string): string {
  try {
    return new URL(text).protocol;
  } catch {
    return "";
  }
}
