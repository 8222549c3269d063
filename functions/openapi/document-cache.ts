// Built documents, serialised, per isolate: one per distinct set of servers and tool-list
// versions, so callers with the same permissions share one document and a refreshed tool list
// makes a new one.
const MAX_DOCUMENTS = 64;
const documents = new Map<string, Uint8Array>();
const encoder = new TextEncoder();

/** The document as UTF-8 bytes, encoded once: a string body is encoded again on every response. */
export function cachedJson(key: string, build: () => unknown): Uint8Array {
  let bytes = documents.get(key);
  if (bytes === undefined) {
    bytes = encoder.encode(JSON.stringify(build()));
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(key, bytes);
  }
  return bytes;
}
