// The worker's settings: its bindings (wrangler.toml vars, `.dev.vars`, or workerd's config, which
// scripts/workerd-config.ts generates from this list), parsed once per isolate (env.ts settingsOf).
// A bad value makes the worker answer every request with 503 naming it; `npm start` checks them
// before it starts workerd. Pure: scripts import it too.
import { z } from "zod";
import { ADMIN_GROUP } from "../schema/admin-group.ts";
import { LOG_FORMAT, LOG_LEVEL } from "../schema/log-settings.ts";
import { httpUrl, parseSettings, type SettingList, type Settings, type SettingSource, text, wholeNumber } from "../schema/settings.ts";
import { parseHostRules } from "./guards/host-rules.ts";
import { parseOrigins } from "./guards/origin-list.ts";

/** PyJWT, which signs Open WebUI's tokens, warns below 32 bytes for HS256. */
export const MIN_JWT_SECRET_LENGTH = 32;

export const WORKER_SETTINGS = {
  BRIDGE_URL: { type: httpUrl(), doc: "where the worker finds the bridge, e.g. `http://127.0.0.1:8001` (`npm start` sets it)" },
  BRIDGE_TOKEN: { type: text(), secret: true, doc: "the worker ↔ bridge secret, the same as the bridge's (`npm start` generates one)" },
  MAX_BODY_BYTES: { type: wholeNumber("bytes", { min: 1 }), default: "4194304", doc: "largest request body, in bytes" },
  TOOLS_TTL_SECONDS: { type: wholeNumber("seconds"), default: "60", doc: "how long a tool list is served before it is refreshed in the background" },
  MCP_API_KEY: {
    type: text(),
    secret: true,
    unset: "no key",
    doc: "when set, every route but `/health` needs `Authorization: Bearer <key>`",
  },
  API_GATEWAY_MODE: {
    type: z.string().transform((value) => value === "true"),
    default: "false",
    doc: "`true`: per-user permissions, users come from a trusted gateway's headers; anything else: one operator sees everything",
  },
  API_GATEWAY_SECRET: { type: text(), secret: true, unset: "none", doc: "the secret the gateway proves itself with, in `X-Gateway-Secret`" },
  OPENWEBUI_JWT_SECRET: {
    type: text({ minLength: MIN_JWT_SECRET_LENGTH }).transform((secret) => new TextEncoder().encode(secret)),
    secret: true,
    exact: true,
    unset: "none",
    doc: "in gateway mode, believe Open WebUI's signed `X-OpenWebUI-User-Jwt` (its `FORWARD_USER_INFO_HEADER_JWT_SECRET`; 32+ characters)",
  },
  ADMIN_GROUP,
  GRANTS_TTL_SECONDS: { type: wholeNumber("seconds"), default: "10", doc: "how long a user's grants are cached" },
  ALLOWED_HOSTS: {
    type: z.string().transform(parseHostRules),
    default: "*",
    doc: "the `Host` names the proxy answers to, comma-separated (`mcp.example.com,mcp-proxy`); `npm start` bound to loopback sets the loopback names",
  },
  CORS_ALLOW_ORIGINS: {
    type: z.string().transform(parseOrigins),
    unset: "none",
    doc: "web origins whose pages may call the proxy from a browser (`https://chat.example.com`), comma-separated; other pages get 403",
  },
  AUDIT_ENABLED: {
    type: z.string().transform((value) => value !== "false"),
    default: "true",
    doc: "`false`: no row in the audit trail (`tool_call_audit`); each call's log line stays ([docs/operations.md](docs/operations.md#audit-trail))",
  },
  AUDIT_ARGUMENTS: {
    type: z.string().transform((value) => value === "true"),
    default: "false",
    doc: "`true`: the audit trail also stores each call's arguments and result (up to 64 KiB each), with `AUDIT_REDACT_FIELDS` redacted",
  },
  AUDIT_REDACT_FIELDS: {
    type: z.string().transform(fieldNames),
    default: "password,passwd,token,access_token,refresh_token,secret,client_secret,api_key,apikey,authorization,cookie",
    doc: "fields whose values are stored as `[redacted]`, at any depth, when `AUDIT_ARGUMENTS=true`: names, comma-separated, any case",
  },
  AUDIT_BUFFER_MAX: {
    type: wholeNumber("rows", { min: 1 }),
    default: "10000",
    doc: "audit rows an isolate keeps while the database is away; past it the oldest are dropped, and counted",
  },
  LOG_LEVEL,
  LOG_FORMAT,
} satisfies SettingList;

function fieldNames(list: string): ReadonlySet<string> {
  return new Set(
    list
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

export type WorkerSettings = Settings<typeof WORKER_SETTINGS>;

/** Every problem with the settings, named by variable; none: the worker may start. */
export function workerSettingProblems(source: SettingSource): string[] {
  const read = readWorkerSettings(source);
  return "problems" in read ? read.problems : [];
}

export function readWorkerSettings(source: SettingSource): { settings: WorkerSettings } | { problems: string[] } {
  const parsed = parseSettings(WORKER_SETTINGS, source);
  if (!parsed.ok) return { problems: parsed.problems };
  // A gateway mode with no way to prove a user would fail closed on every request.
  const { API_GATEWAY_MODE, API_GATEWAY_SECRET, OPENWEBUI_JWT_SECRET } = parsed.settings;
  if (API_GATEWAY_MODE && !API_GATEWAY_SECRET && !OPENWEBUI_JWT_SECRET) {
    return { problems: ["API_GATEWAY_MODE=true needs API_GATEWAY_SECRET or OPENWEBUI_JWT_SECRET"] };
  }
  return { settings: parsed.settings };
}
