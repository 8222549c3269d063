// GET /mcp: the stream a client keeps open to hear `notifications/*/list_changed`. The worker keeps
// no sessions, so the stream itself looks again every GRANTS_TTL_SECONDS at what the caller may
// see (their grants, the servers' cached lists) and says which lists changed.
import { accessFor } from "../auth/access.ts";
import { authSettings } from "../auth/settings.ts";
import { settingsOf } from "../env.ts";
import { shortHash } from "../openapi/operation-id.ts";
import type { RequestScope } from "../routes/context.ts";
import { type Endpoint, LIST_KINDS } from "./exposed.ts";

type Kind = keyof typeof LIST_KINDS;
const NOTIFICATIONS: Record<Kind, string> = {
  tools: "notifications/tools/list_changed",
  prompts: "notifications/prompts/list_changed",
  resources: "notifications/resources/list_changed",
  resourceTemplates: "notifications/resources/list_changed",
};
/** A client reconnects after this; its credentials are then checked again. */
const MAX_STREAM_MS = 10 * 60_000;

/** `endpointFor` says which servers the caller may see under the access of the moment. */
export function listChangeStream(scope: RequestScope, endpointFor: (scope: RequestScope) => Endpoint): Response {
  const everyMs = Math.max(1, settingsOf(scope.env).GRANTS_TTL_SECONDS) * 1_000;
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => !closed && controller.enqueue(encoder.encode(text));
      const started = Date.now();
      let seen = await fingerprints(scope, endpointFor(scope)).catch(() => undefined);
      write(": listening for list changes\n\n");
      const look = async () => {
        if (closed) return;
        if (Date.now() - started >= MAX_STREAM_MS) return close(controller);
        try {
          const now = { ...scope, access: await accessFor(scope.access.caller, scope.env, authSettings(scope.env)) };
          const current = await fingerprints(now, endpointFor(now));
          for (const notification of seen ? changed(seen, current) : [])
            write(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: notification })}\n\n`);
          seen = current;
          write(": still listening\n\n"); // keeps idle-closing proxies away
        } catch {
          // grants unreadable for now (database away): say nothing, look again later
        }
        timer = setTimeout(look, everyMs);
      };
      timer = setTimeout(look, everyMs);
    },
    cancel() {
      closed = true;
      clearTimeout(timer);
    },
  });
  const close = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    closed = true;
    clearTimeout(timer);
    controller.close();
  };
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

async function fingerprints(scope: RequestScope, endpoint: Endpoint): Promise<Record<Kind, string>> {
  const kinds = Object.keys(LIST_KINDS) as Kind[];
  const lists = await Promise.all(kinds.map((kind) => LIST_KINDS[kind](scope, endpoint)));
  return Object.fromEntries(kinds.map((kind, i) => [kind, shortHash(JSON.stringify(lists[i]!.items))])) as Record<Kind, string>;
}

function changed(before: Record<Kind, string>, after: Record<Kind, string>): Set<string> {
  const notifications = new Set<string>();
  for (const kind of Object.keys(before) as Kind[]) if (before[kind] !== after[kind]) notifications.add(NOTIFICATIONS[kind]);
  return notifications;
}
