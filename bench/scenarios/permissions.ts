// 5: a tool call as a gateway user, grants cached (the default) against looked up on every call.
import { httpLoad, median } from "../lib/load.ts";
import { benchStack, waitHealthy } from "../lib/stack.ts";

const SECRET = "bench-gateway-secret-0123456789";

export async function permissions({ seconds = 5, runs = 3, connections = 10 } = {}) {
  const out: Record<"cached" | "uncached", ReturnType<typeof median>> = {} as never;
  for (const [name, ttl] of [
    ["cached", "60"],
    ["uncached", "0"],
  ] as const) {
    const stack = await benchStack(
      { everything: { command: "mcp-server-everything" } },
      { API_GATEWAY_MODE: "true", API_GATEWAY_SECRET: SECRET, ADMIN_EMAIL: "bench@example.com", GRANTS_TTL_SECONDS: ttl },
    );
    try {
      await waitHealthy(stack.url);
      const headers = { "content-type": "application/json", "x-gateway-secret": SECRET, "x-user-email": "bench@example.com" };
      const load = () => httpLoad({ url: `${stack.url}/everything/echo`, body: '{"message":"hi"}', headers, connections, seconds });
      await load();
      const results = [];
      for (let i = 0; i < runs; i += 1) results.push(await load());
      out[name] = median(results);
    } finally {
      await stack.stop();
    }
  }
  return out;
}
