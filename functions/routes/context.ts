// What every route needs from a request: the bindings, the catalog, and a way to outlive the response.
import type { Context } from "hono";
import type { WorkerCatalog, WorkerServer } from "../../schema/catalog/index.ts";
import { loadCatalog } from "../bridge.ts";
import type { AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";
import type { ListContext } from "../tools/tool-lists.ts";

export type AppContext = Context<AppEnv>;

export interface RequestScope extends ListContext {
  catalog: WorkerCatalog;
}

export async function scopeOf(c: AppContext): Promise<RequestScope> {
  const catalog = await loadCatalog(c.env);
  return {
    env: c.env,
    catalog,
    catalogVersion: catalog.version,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise.catch(() => {})),
  };
}

export function enabledServers(catalog: WorkerCatalog): WorkerServer[] {
  return catalog.servers.filter((server) => server.enabled);
}

/** The named server, or a 404 that lists the ones there are, or a 503 saying why it is off. */
export function serverNamed(catalog: WorkerCatalog, name: string): WorkerServer {
  const server = catalog.servers.find((s) => s.name === name);
  if (!server) {
    const names = enabledServers(catalog).map((s) => s.name);
    throw new ProxyError(404, "unknown_server", `Unknown server '${name}'. Available servers: ${names.join(", ") || "(none)"}`, { server: name });
  }
  if (!server.enabled) {
    throw new ProxyError(503, "server_disabled", `Server '${name}' is disabled: ${server.disabledReason}`, { server: name });
  }
  return server;
}
