// The auth service's settings, declared once: workerd's bindings (scripts/workerd-config.ts), the
// settings table of docs/sign-in.md (scripts/settings-table.ts) and the parsing all come from this
// list. A bad value makes the service answer every request with 503 naming it. Pure: scripts import it.
import { z } from "zod";
import { ADMIN_GROUP } from "../../schema/admin-group.ts";
import { LOG_FORMAT, LOG_LEVEL } from "../../schema/log-settings.ts";
import { httpUrl, parseSettings, type SettingList, type Settings, type SettingSource, text, wholeNumber } from "../../schema/settings.ts";
import { type GroupMap, parseGroupMap } from "./group-map.ts";

export const MIN_SESSION_SECRET_LENGTH = 32;

export const AUTH_SERVICE_SETTINGS = {
  OIDC_ISSUER: {
    type: issuerUrl(),
    doc: "the OpenID Connect issuer, for Entra ID `https://login.microsoftonline.com/<tenant id>/v2.0` (https; http only on a loopback host, for tests)",
  },
  OIDC_CLIENT_ID: { type: text(), doc: "the app registration's application (client) id" },
  OIDC_CLIENT_SECRET: { type: text(), secret: true, doc: "the app registration's client secret" },
  AUTH_PUBLIC_URL: {
    type: publicUrl(),
    doc: "this service's own public URL, e.g. `https://auth.example.com` (http only on a loopback host); the redirect URI to register is this plus `/callback`",
  },
  COOKIE_DOMAIN: {
    type: cookieDomain(),
    doc: "the domain the session cookie is set for (`example.com`: chat., mcp. and auth. all see it); return URLs must be on it",
  },
  SESSION_SECRET: {
    type: text({ minLength: MIN_SESSION_SECRET_LENGTH }),
    secret: true,
    exact: true,
    doc: "the key material of the session cookie and personal tokens, 32+ characters (`openssl rand -hex 32`); changing it signs everyone out and revokes every token",
  },
  SESSION_TTL_SECONDS: { type: wholeNumber("seconds", { min: 1 }), default: "28800", doc: "how long a sign-in lasts" },
  ENTRA_GROUP_MAP: {
    type: groupMap(),
    unset: "no groups forwarded",
    doc: "`<group object id>=<group name>,…`: the Entra ID groups that count, under the names `group_tenant_mapping` uses; groups not listed are dropped",
  },
  API_GATEWAY_SECRET: { type: text(), secret: true, doc: "the proxy's `API_GATEWAY_SECRET`, sent to it as `X-Gateway-Secret` beside the user's identity" },
  ADMIN_GROUP,
  API_TOKEN_TTL_DAYS: { type: wholeNumber("days", { min: 1, max: 3650 }), default: "90", doc: "how long a personal API token (`/token`) is valid" },
  BRIDGE_URL: { type: httpUrl(), doc: "where the service finds the bridge, whose `/sql` it writes group memberships through" },
  BRIDGE_TOKEN: { type: text(), secret: true, doc: "the bridge's token, the same as the proxy's" },
  LOG_LEVEL,
  LOG_FORMAT,
} satisfies SettingList;

export type AuthServiceSettings = Settings<typeof AUTH_SERVICE_SETTINGS>;

export function readAuthServiceSettings(source: SettingSource): { settings: AuthServiceSettings } | { problems: string[] } {
  const parsed = parseSettings(AUTH_SERVICE_SETTINGS, source);
  return parsed.ok ? { settings: parsed.settings } : { problems: parsed.problems };
}

/** Loopback by definition: 127/8, ::1, localhost and *.localhost (RFC 6761; browsers treat them as secure). */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** https, or http on a loopback host (a test's stand-in); no query or fragment; no trailing slash kept. */
function secureUrl(problem: string): z.ZodType<string, string> {
  return z
    .string()
    .refine((text) => {
      const url = parsedUrl(text);
      if (!url || url.search || url.hash || url.username || url.password) return false;
      return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
    }, problem)
    .transform((text) => text.replace(/\/+$/, ""));
}

function issuerUrl(): z.ZodType<string, string> {
  return secureUrl("is not an https URL (http is accepted only for a loopback host)");
}

function publicUrl(): z.ZodType<string, string> {
  return secureUrl("is not an https URL (http is accepted only for a loopback host)").refine(
    (text) => new URL(text).pathname === "/",
    "must be an origin without a path, e.g. https://auth.example.com",
  );
}

function cookieDomain(): z.ZodType<string, string> {
  return z
    .string()
    .transform((text) => text.toLowerCase().replace(/^\./, ""))
    .refine((text) => /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(text), "is not a domain name");
}

function groupMap(): z.ZodType<GroupMap, string> {
  return z.string().transform((text, context) => {
    try {
      return parseGroupMap(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });
}
