// `${VAR}` and `${VAR:-default}` interpolation from an environment.

export type Environment = Readonly<Record<string, string | undefined>>;

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolation<T> {
  value: T;
  /** Variables that were referenced without a default and are unset or empty. */
  missing: string[];
}

function interpolateString(text: string, env: Environment, missing: Set<string>): string {
  return text.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    missing.add(name);
    return "";
  });
}

/** Interpolates every string inside a JSON-like value (keys are left alone). */
export function interpolate<T>(value: T, env: Environment): Interpolation<T> {
  const missing = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return interpolateString(node, env, missing);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    }
    return node;
  };
  return { value: walk(value) as T, missing: [...missing].sort() };
}
