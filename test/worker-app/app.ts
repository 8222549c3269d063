// The worker's app as deployed (functions/index.ts), called in-process inside workerd the way Hono
// tests an app: `app.request()` with the settings as bindings. Tool calls reach the real bridge
// and edge server that global-setup.ts started.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import type { Env } from "../../functions/env.ts";
import worker from "../../functions/index.ts";
import type {} from "../helpers/provided.ts";

export type Settings = Partial<Omit<Env, "BRIDGE_URL" | "BRIDGE_TOKEN">>;

/** The origin the tests call the worker on, as `npm start` serves it. */
export const ORIGIN = "http://127.0.0.1:8000";

export async function request(path: string, init: RequestInit, settings: Settings = {}): Promise<Response> {
  const env: Env = { BRIDGE_URL: inject("bridgeUrl"), BRIDGE_TOKEN: inject("bridgeToken"), ...settings };
  const ctx = createExecutionContext();
  const response = await worker.request(ORIGIN + path, init, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
