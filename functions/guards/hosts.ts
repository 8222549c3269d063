// The Host check against DNS rebinding: a web page whose name an attacker points at 127.0.0.1
// reaches a local proxy with the attacker's name in Host. ALLOWED_HOSTS lists the names the proxy
// answers to; unset, it answers to any (`npm start` sets loopback names when bound to loopback).
import type { MiddlewareHandler } from "hono";
import { ProxyError } from "../errors.ts";
import { type AppEnv, settingsOf } from "../env.ts";
import { matches } from "./host-rules.ts";

export function checkHost(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const rules = settingsOf(c.env).ALLOWED_HOSTS;
    const host = new URL(c.req.url).host.toLowerCase();
    if (rules !== "any" && !rules.some((rule) => matches(rule, host))) {
      throw new ProxyError(421, "host_not_allowed", `This proxy does not answer to the host '${host.slice(0, 100)}': add it to ALLOWED_HOSTS if it is yours`);
    }
    await next();
  };
}
