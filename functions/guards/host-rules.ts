// ALLOWED_HOSTS as rules, and whether a Host matches one (guards/hosts.ts checks each request).

export type HostRules = HostRule[] | "any";

interface HostRule {
  name: string;
  /** Undefined: any port. */
  port?: string;
}

/** "localhost, 127.0.0.1:8000, [::1]" → rules; "*" among them → any host. */
export function parseHostRules(text: string): HostRules {
  const entries = text
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return entries.length === 0 || entries.includes("*") ? "any" : entries.map(splitHost);
}

export function matches(rule: HostRule, host: string): boolean {
  const { name, port } = splitHost(host);
  return name === rule.name && (rule.port === undefined || rule.port === port);
}

function splitHost(host: string): HostRule {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  if (!match) return { name: host };
  return match[2] === undefined ? { name: match[1]! } : { name: match[1]!, port: match[2] };
}
