// The Host check against DNS rebinding: a web page whose name an attacker points at 127.0.0.1
// reaches a local proxy with the attacker's name in Host. ALLOWED_HOSTS lists the names the proxy
// answers to; unset, it answers to any (`npm start` sets loopback names when bound to loopback).
import type { MiddlewareHandler } from "hono";
import { parsedSetting, type AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";

interface HostRule {
  name: string;
  /** Undefined: any port. */
  port?: string;
}

export function checkHost(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const rules = hostRules(c.env.ALLOWED_HOSTS);
    const host = new URL(c.req.url).host.toLowerCase();
    if (rules !== "any" && !rules.some((rule) => matches(rule, host))) {
      throw new ProxyError(421, "host_not_allowed", `This proxy does not answer to the host '${host.slice(0, 100)}': add it to ALLOWED_HOSTS if it is yours`);
    }
    await next();
  };
}

/** "localhost, 127.0.0.1:8000, [::1]" → rules; unset, empty or "*" → any host. */
export const hostRules = parsedSetting((text): HostRule[] | "any" => {
  const entries = text
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return entries.length === 0 || entries.includes("*") ? "any" : entries.map(splitHost);
});

function matches(rule: HostRule, host: string): boolean {
  const { name, port } = splitHost(host);
  return name === rule.name && (rule.port === undefined || rule.port === port);
}

function splitHost(host: string): HostRule {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  if (!match) return { name: host };
  return match[2] === undefined ? { name: match[1]! } : { name: match[1]!, port: match[2] };
}
