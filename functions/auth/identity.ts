// Who is calling. In gateway mode the user comes from headers that only the trusted gateway may
// set: they are believed only with the gateway's secret, compared in constant time.
import { timingSafeEqual } from "hono/utils/buffer";
import { ProxyError } from "../errors.ts";
import type { AuthSettings } from "./settings.ts";

export type Caller = { kind: "operator" } | { kind: "user"; email: string; groups: string[]; role?: string };

/** Headers that claim an identity; never logged, never passed upstream. */
export const IDENTITY_HEADERS = ["x-user-email", "x-user-groups", "x-openwebui-user-email", "x-openwebui-user-role", "x-openwebui-user-name", "x-openwebui-user-id"];

export const EMAIL = /^[^\s@,;<>"]{1,64}@[^\s@,;<>"]{1,255}$/;
/** No commas (X-User-Groups is a comma-separated list), no control characters. */
export const GROUP = /^[^\u0000-\u001f\u007f,]{1,128}$/;
const MAX_GROUPS = 100;

export async function identify(headers: Headers, settings: AuthSettings): Promise<Caller> {
  if (!settings.gatewayMode) return { kind: "operator" };
  const secret = headers.get("x-gateway-secret");
  if (secret === null || !(await timingSafeEqual(settings.gatewaySecret, secret))) {
    const claims = IDENTITY_HEADERS.some((name) => headers.has(name));
    throw new ProxyError(
      401,
      "unauthenticated",
      claims ? "Identity headers are accepted only from the trusted gateway (X-Gateway-Secret missing or wrong)" : "This proxy serves users through its gateway: X-Gateway-Secret is missing or wrong",
    );
  }
  const email = utf8(headers.get("x-user-email") ?? headers.get("x-openwebui-user-email") ?? "").trim();
  if (!email) throw new ProxyError(401, "unauthenticated", "The gateway named no user (X-User-Email or X-OpenWebUI-User-Email)");
  if (!EMAIL.test(email)) throw new ProxyError(400, "invalid_identity", "X-User-Email is not one email address");
  const role = headers.get("x-openwebui-user-role")?.trim();
  const groups = headers.get("x-user-groups");
  return { kind: "user", email: email.toLowerCase(), groups: parseGroups(groups === null ? null : utf8(groups)), ...(role ? { role } : {}) };
}

/** Header values may arrive as UTF-8 bytes read as Latin-1 (gateways send names in UTF-8). */
function utf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  const decoded = new TextDecoder().decode(Uint8Array.from(value, (char) => char.charCodeAt(0)));
  return decoded.includes("\ufffd") ? value : decoded; // it was Latin-1 after all
}

/** "a, b,,c " → ["a", "b", "c"]: trimmed, no empties, no repeats. */
export function parseGroups(header: string | null): string[] {
  if (!header) return [];
  const groups = [...new Set(header.split(",").map((group) => group.trim()).filter(Boolean))];
  if (groups.length > MAX_GROUPS) throw new ProxyError(400, "invalid_identity", `X-User-Groups lists more than ${MAX_GROUPS} groups`);
  const bad = groups.find((group) => !GROUP.test(group));
  if (bad !== undefined) throw new ProxyError(400, "invalid_identity", "X-User-Groups has a group name that is too long or has control characters");
  return groups.sort();
}
