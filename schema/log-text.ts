// A log line as text, for a terminal: `12:00:01.234 INFO  tool_call  requestId=ab12 user=ana@example.com …`,
// the time (UTC: workerd knows no other zone), the level, the event, then every other field of the
// JSON line in its order as key=value. Some values are the caller's choice (a tool's name): one
// that is not plain ASCII is quoted, and every character that could end the line, move the cursor,
// start a terminal escape sequence or turn the text's direction is written as an escape, so no
// value can forge a second line or rewrite what the terminal shows.
import type { LogLevel } from "./log-settings.ts";

const PLAIN = /^[A-Za-z0-9_@.:/+,-]+$/;
/** Controls (C0, DEL, C1), format characters (bidi overrides, zero-width), line and paragraph separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function textLine(level: LogLevel, fields: Record<string, unknown>, at: Date): string {
  const { event, ...rest } = fields;
  const head = [at.toISOString().slice(11, 23), level.toUpperCase().padEnd(5), ...(event === undefined ? [] : [logValue(event)])].join(" ");
  const pairs = Object.entries(rest)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${logValue(value)}`);
  return pairs.length === 0 ? head : `${head}  ${pairs.join(" ")}`;
}

/** A value as the text line shows it: bare when plain, quoted otherwise; objects as JSON. Never a raw control or format character. */
export function logValue(value: unknown): string {
  if (typeof value === "string") return PLAIN.test(value) ? value : `"${escapeUnsafe(value.replace(/["\\]/g, "\\$&"))}"`;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  // JSON.stringify escapes C0 controls, quotes and lone surrogates; the rest of UNSAFE is left to us.
  return escapeUnsafe(JSON.stringify(value) ?? String(value));
}

function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const short = SHORT_ESCAPES[char];
    if (short) return short;
    const code = char.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
