// Built documents, serialised, per isolate: one per distinct set of servers and tool-list
// versions, so callers with the same permissions share one document and a refreshed tool list
// makes a new one.
const MAX_DOCUMENTS = 64;
const documents = new Map<string, string>();

export function cachedJson(key: string, build: () => unknown): string {
  let text = documents.get(key);
  if (text === undefined) {
    text = JSON.stringify(build());
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(key, text);
  }
  return text;
}
