// Built documents, serialised, per isolate: one per distinct set of servers and tool-list
// versions, so callers with the same permissions share one document and a refreshed tool list
// makes a new one.
import { IsolateCache } from "../cache.ts";

const documents = new IsolateCache<string, Uint8Array>(64);
const encoder = new TextEncoder();

/** The document as UTF-8 bytes, encoded once: a string body is encoded again on every response. */
export function cachedJson(key: string, build: () => unknown): Uint8Array {
  return documents.get(key)?.value ?? documents.set(key, encoder.encode(JSON.stringify(build())));
}
