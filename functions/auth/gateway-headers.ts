// The user a trusted gateway names in its headers (X-User-Email, X-User-Groups), believed only
// with the gateway's secret: the caller checks that before reading them.
import { emailKey } from "../../schema/email.ts";
import { ProxyError } from "../errors.ts";

/** No commas (X-User-Groups is a comma-separated list), no control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
export const GROUP = /^[^\u0000-\u001f\u007f,]{1,128}$/;
const MAX_GROUPS = 100;

export interface NamedUser {
  email: string;
  groups: string[];
  role?: string;
}

export function userFromGatewayHeaders(headers: Headers): NamedUser {
  const email = utf8(headers.get("x-user-email") ?? headers.get("x-openwebui-user-email") ?? "").trim();
  if (!email) throw new ProxyError(401, "unauthenticated", "The gateway named no user (X-User-Email or X-OpenWebUI-User-Email)");
  const role = headers.get("x-openwebui-user-role")?.trim();
  const groups = headers.get("x-user-groups");
  return { email: checkedEmail(email, "X-User-Email"), groups: parseGroups(groups === null ? null : utf8(groups)), ...(role ? { role } : {}) };
}

/** The address as its permission key (schema/email.ts says how); 400 naming the problem otherwise. */
export function checkedEmail(email: string, source: string): string {
  const key = emailKey(email);
  if (!key.ok) throw new ProxyError(400, "invalid_identity", `${source} ${key.problem}`);
  return key.email;
}

/** Header values may arrive as UTF-8 bytes read as Latin-1 (gateways send names in UTF-8). */
function utf8(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a range of code points, not a typo
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  const decoded = new TextDecoder().decode(Uint8Array.from(value, (char) => char.charCodeAt(0)));
  return decoded.includes("\ufffd") ? value : decoded; // it was Latin-1 after all
}

/** "a, b,,c " → ["a", "b", "c"]: trimmed, no empties, no repeats. */
export function parseGroups(header: string | null): string[] {
  if (!header) return [];
  const groups = [
    ...new Set(
      header
        .split(",")
        .map((group) => group.trim())
        .filter(Boolean),
    ),
  ];
  if (groups.length > MAX_GROUPS) throw new ProxyError(400, "invalid_identity", `X-User-Groups lists more than ${MAX_GROUPS} groups`);
  const bad = groups.find((group) => !GROUP.test(group));
  if (bad !== undefined) throw new ProxyError(400, "invalid_identity", "X-User-Groups has a group name that is too long or has control characters");
  return groups.sort();
}
