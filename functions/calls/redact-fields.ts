// A copy of a call's arguments or result with the values of sensitive fields (AUDIT_REDACT_FIELDS)
// replaced, at any depth, before they are stored.
export const REDACTED = "[redacted]";

/** `fields` are lower-case; a field matches whatever its case. */
export function redactFields(value: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => redactFields(item, fields));
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = fields.has(key.toLowerCase()) ? REDACTED : redactFields(item, fields);
  return copy;
}
