// What every route needs from a request: the bindings, the catalog, the caller's access, and a
// way to outlive the response.
import type { Context } from "hono";
import type { WorkerCatalog, WorkerServer } from "../../schema/catalog/index.ts";
import { allows, type Access } from "../auth/access.ts";
import { loadCatalog } from "../bridge.ts";
import type { RecordContext } from "../calls/record-call.ts";
import type { AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";
import type { ListContext } from "../tools/tool-lists.ts";

export type AppContext = Context<AppEnv>;

export interface RequestScope extends ListContext {
  catalog: WorkerCatalog;
  access: Access;
  /** The request's X-Request-Id (calls/request-id.ts). */
  requestId: string;
}

export async function scopeOf(c: AppContext): Promise<RequestScope> {
  const catalog = await loadCatalog(c.env);
  return { ...recordContextOf(c), catalog, catalogVersion: catalog.version };
}

/** What a tool call's record needs, before the catalog is loaded (that may fail too). */
export function recordContextOf(c: AppContext): RecordContext {
  return { env: c.env, access: c.get("access"), requestId: c.get("requestId"), waitUntil: (promise) => c.executionCtx.waitUntil(promise.catch(() => {})) };
}

/** The catalog servers the caller may use, enabled or not. */
export function visibleServers({ catalog, access }: RequestScope): WorkerServer[] {
  return catalog.servers.filter((server) => allows(access, server.name));
}

export function enabledServers(scope: RequestScope): WorkerServer[] {
  return visibleServers(scope).filter((server) => server.enabled);
}

/** The named server; 404 listing the caller's servers, 403 if not theirs, 503 saying why it is off. */
export function serverNamed(scope: RequestScope, name: string): WorkerServer {
  const server = scope.catalog.servers.find((s) => s.name === name);
  if (!server) {
    const names = enabledServers(scope).map((s) => s.name);
    throw new ProxyError(404, "unknown_server", `Unknown server '${name}'. Available servers: ${names.join(", ") || "(none)"}`, { server: name });
  }
  if (!allows(scope.access, name)) {
    throw new ProxyError(403, "forbidden", `You may not use server '${name}': ask an admin to add you to a group that maps to it`, { server: name });
  }
  if (!server.enabled) {
    throw new ProxyError(503, "server_disabled", `Server '${name}' is disabled: ${server.disabledReason}`, { server: name });
  }
  return server;
}
