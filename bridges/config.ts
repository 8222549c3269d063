// The bridge's settings, from its environment, parsed once at start-up: a bad value (or no token)
// stops it with EXIT_REFUSED_CONFIGURATION, naming the variable and what is wrong.
import { resolve } from "node:path";
import { z } from "zod";
import { ADMIN_GROUP } from "../schema/admin-group.ts";
import { emailKey } from "../schema/email.ts";
import { LOG_LEVEL } from "../schema/log-settings.ts";
import { parseSettings, port, type SettingList, type Settings, text, wholeNumber } from "../schema/settings.ts";

export const DEFAULT_CATALOG = "catalog/mcp-servers.json";
/** See docs/architecture.md ("Large results") for what this was measured against. */
export const DEFAULT_MAX_RESULT_BYTES = 32 * 1024 * 1024;

export const BRIDGE_SETTINGS = {
  BRIDGE_TOKEN: {
    type: text({ minLength: 16 }),
    secret: true,
    doc: "the worker ↔ bridge secret, 16+ characters (e.g. `openssl rand -hex 32`); `npm start` generates one",
  },
  BRIDGE_HOST: { type: text(), default: "127.0.0.1", doc: "the address the bridge listens on (keep it private)" },
  BRIDGE_PORT: { type: port(), default: "8001", doc: "the port the bridge listens on" },
  MCP_CATALOG: { type: text().transform((path) => resolve(path)), default: DEFAULT_CATALOG, doc: "the catalog file" },
  MCP_DATA_DIR: {
    type: text().transform((path) => resolve(path)),
    default: ".data",
    doc: "where the embedded database, the stdio servers' recorded tool lists (and the bundled memory server) keep their files",
  },
  MAX_BODY_BYTES: { type: wholeNumber("bytes", { min: 1 }), default: "4194304", doc: "largest request body from the worker, in bytes" },
  DATABASE_URL: {
    type: postgresUrl(),
    secret: true,
    unset: "PGlite in `MCP_DATA_DIR`",
    doc: "the PostgreSQL holding the permission tables, as the role the proxy queries as; the compose files give it a least-privilege role ([docs/permissions.md](docs/permissions.md#the-database))",
  },
  DATABASE_OWNER_URL: {
    type: postgresUrl(),
    secret: true,
    unset: "`DATABASE_URL` does it all",
    doc: "the tables' owner, used only at start-up: it migrates, sets `ADMIN_EMAIL`, and creates `DATABASE_URL`'s role with its password and only the runtime grants",
  },
  SQL_STATEMENT_TIMEOUT_MS: {
    type: wholeNumber("milliseconds", { min: 1 }),
    default: "5000",
    doc: "longest a database request (a query, or a batch in its transaction) may run; the bridge then cancels it in PostgreSQL, whatever the statement `SET`",
  },
  AUDIT_RETENTION_DAYS: {
    type: wholeNumber("days"),
    default: "90",
    doc: "the audit trail's rows older than this are deleted, at start-up and then daily (`0`: kept for ever)",
  },
  ADMIN_EMAIL: { type: emailAddress(), unset: "none", doc: "a user made admin (and a member of `ADMIN_GROUP`) at every start" },
  ADMIN_GROUP,
  API_GATEWAY_MODE: {
    type: z.string().transform((value) => value === "true"),
    default: "false",
    doc: "read only to refuse `true` without `API_GATEWAY_SECRET` or `OPENWEBUI_JWT_SECRET`, as the worker would",
  },
  API_GATEWAY_SECRET: { type: text(), secret: true, unset: "none", doc: "the gateway's secret: the bridge only checks that gateway mode has one" },
  OPENWEBUI_JWT_SECRET: {
    type: text({ minLength: 32 }),
    secret: true,
    exact: true,
    unset: "none",
    doc: "Open WebUI's signing secret: the bridge only checks that it is 32+ characters",
  },
  STDIO_IDLE_TIMEOUT_SECONDS: {
    type: wholeNumber("seconds"),
    default: "300",
    doc: "stop a stdio server after this long without a call (`0`: keep it); it starts again on the next call; catalog entries may override",
  },
  MAX_RESULT_BYTES: {
    type: wholeNumber("bytes", { min: 64 * 1024 }), // below this even a tool list may not fit
    default: String(DEFAULT_MAX_RESULT_BYTES),
    doc: "largest message a stdio server may send the bridge (its tool results, 32 MiB by default); a larger one fails that call with 502 `result_too_large` and the server keeps running (see [docs/architecture.md](docs/architecture.md) before raising it)",
  },
  BRIDGE_BACKOFF_MS: {
    type: wholeNumber("milliseconds", { min: 1 }),
    default: "1000",
    doc: "how long after a stdio server's crash it is started again; the delay doubles on each crash, up to 30 s",
  },
  LOG_LEVEL,
} satisfies SettingList;

export type BridgeConfig = Settings<typeof BRIDGE_SETTINGS>;

/** The bridge's exit code when a setting or the catalog is wrong: restarting it cannot help. */
export const EXIT_REFUSED_CONFIGURATION = 2;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Throws a ConfigError naming every bad setting. */
export function readBridgeConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  const parsed = parseSettings(BRIDGE_SETTINGS, env);
  const problems = parsed.ok ? crossChecks(parsed.settings) : parsed.problems;
  if (!parsed.ok || problems.length > 0) throw new ConfigError(problems.join("; "));
  return parsed.settings;
}

function crossChecks(config: BridgeConfig): string[] {
  const problems: string[] = [];
  // The worker enforces this too; refusing here stops a misconfigured stack at start-up.
  if (config.API_GATEWAY_MODE && !config.API_GATEWAY_SECRET && !config.OPENWEBUI_JWT_SECRET) {
    problems.push(
      "API_GATEWAY_MODE=true needs API_GATEWAY_SECRET (the secret your gateway sends in X-Gateway-Secret) or OPENWEBUI_JWT_SECRET (Open WebUI's FORWARD_USER_INFO_HEADER_JWT_SECRET)",
    );
  }
  if (config.DATABASE_OWNER_URL) {
    if (!config.DATABASE_URL) problems.push("DATABASE_OWNER_URL is set but DATABASE_URL is not: DATABASE_URL is the role the proxy queries as");
    // The owner creates DATABASE_URL's login role, so both must name their role.
    for (const name of ["DATABASE_URL", "DATABASE_OWNER_URL"] as const) {
      const url = config[name];
      if (url && !new URL(url).username) problems.push(`${name} names no user: it must be a postgresql://user:password@host/database URL`);
    }
  }
  return problems;
}

function postgresUrl(): z.ZodType<string, string> {
  return z
    .string()
    .refine((url) => URL.canParse(url) && /^postgres(ql)?:$/.test(new URL(url).protocol), "is not a postgresql://user:password@host/database URL");
}

/** The address as its permission key, the same rule as the worker's (schema/email.ts). */
function emailAddress(): z.ZodType<string, string> {
  return z.string().transform((address, context) => {
    const key = emailKey(address);
    if (key.ok) return key.email;
    context.addIssue({ code: "custom", message: key.problem });
    return z.NEVER;
  });
}
