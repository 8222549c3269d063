// The caller's lists, watched while a client keeps a stream open: GET /mcp in the 2025 protocol,
// `subscriptions/listen` in the 2026-07-28 revision. The worker keeps no sessions, so the watch
// itself looks again every GRANTS_TTL_SECONDS at what the caller may see (their grants, the
// servers' cached lists) and says which lists changed.
import { accessFor } from "../auth/access.ts";
import { authSettings } from "../auth/settings.ts";
import { settingsOf } from "../env.ts";
import { shortHash } from "../openapi/operation-id.ts";
import type { RequestScope } from "../routes/context.ts";
import { type Endpoint, LIST_KINDS } from "./exposed.ts";

/** The lists a client hears of; resource templates change with resources. */
export type ListName = "tools" | "prompts" | "resources";
type Kind = keyof typeof LIST_KINDS;
const LIST_OF: Record<Kind, ListName> = { tools: "tools", prompts: "prompts", resources: "resources", resourceTemplates: "resources" };
/** A client reconnects after this; its credentials are then checked again. */
const MAX_STREAM_MS = 10 * 60_000;

export interface ListWatch {
  /** Called with the lists that changed since the last look. */
  changed(lists: Set<ListName>): void;
  /** Called after every look, changed or not. */
  looked?(): void;
  /** Called once when the watch ends by itself (after MAX_STREAM_MS). */
  expired(): void;
}

/** `endpointFor` says which servers the caller may see under the access of the moment; returns the way to stop. */
export function watchLists(scope: RequestScope, endpointFor: (scope: RequestScope) => Endpoint, watch: ListWatch): () => void {
  const everyMs = Math.max(1, settingsOf(scope.env).GRANTS_TTL_SECONDS) * 1_000;
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let seen: Promise<Record<Kind, string> | undefined> = fingerprints(scope, endpointFor(scope)).catch(() => undefined);
  const look = async () => {
    if (stopped) return;
    if (Date.now() - started >= MAX_STREAM_MS) {
      stopped = true;
      return watch.expired();
    }
    try {
      const now = { ...scope, access: await accessFor(scope.access.caller, scope.env, authSettings(scope.env)) };
      const current = await fingerprints(now, endpointFor(now));
      const before = await seen;
      if (stopped) return;
      if (before) {
        const lists = changed(before, current);
        if (lists.size > 0) watch.changed(lists);
      }
      seen = Promise.resolve(current);
      watch.looked?.();
    } catch {
      // grants unreadable for now (database away): say nothing, look again later
    }
    if (!stopped) timer = setTimeout(look, everyMs);
  };
  timer = setTimeout(look, everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** GET /mcp (2025 protocol): the SSE stream of the `list_changed` notifications. */
export function listChangeStream(scope: RequestScope, endpointFor: (scope: RequestScope) => Endpoint): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => open && controller.enqueue(encoder.encode(text));
      write(": listening for list changes\n\n");
      stop = watchLists(scope, endpointFor, {
        changed: (lists) => {
          for (const list of lists) write(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: `notifications/${list}/list_changed` })}\n\n`);
        },
        looked: () => write(": still listening\n\n"), // keeps idle-closing proxies away
        expired: () => {
          open = false;
          controller.close();
        },
      });
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

async function fingerprints(scope: RequestScope, endpoint: Endpoint): Promise<Record<Kind, string>> {
  const kinds = Object.keys(LIST_KINDS) as Kind[];
  const lists = await Promise.all(kinds.map((kind) => LIST_KINDS[kind](scope, endpoint)));
  return Object.fromEntries(kinds.map((kind, i) => [kind, shortHash(JSON.stringify(lists[i]!.items))])) as Record<Kind, string>;
}

function changed(before: Record<Kind, string>, after: Record<Kind, string>): Set<ListName> {
  const lists = new Set<ListName>();
  for (const kind of Object.keys(before) as Kind[]) if (before[kind] !== after[kind]) lists.add(LIST_OF[kind]);
  return lists;
}
