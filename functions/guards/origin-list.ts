// CORS_ALLOW_ORIGINS as the set of origins (guards/origins.ts checks each request's Origin against it).

/** "https://chat.example.com, http://localhost:3000" → the origins as browsers write them; what is not an http(s) origin is left out. */
export function parseOrigins(text: string): ReadonlySet<string> {
  return new Set(
    text
      .split(",")
      .map(normalise)
      .filter((origin): origin is string => origin !== undefined),
  );
}

function normalise(entry: string): string | undefined {
  try {
    const url = new URL(entry.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
