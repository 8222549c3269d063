// Who is calling. In gateway mode a user is believed only with proof: the trusted gateway's
// secret beside its headers, or Open WebUI's signed user token. Unsigned claims get 401.
import { timingSafeEqual } from "hono/utils/buffer";
import { ProxyError } from "../errors.ts";
import { userFromGatewayHeaders, type NamedUser } from "./gateway-headers.ts";
import { OPENWEBUI_JWT_HEADER, userFromOpenWebUiJwt } from "./openwebui-jwt.ts";
import type { AuthSettings } from "./settings.ts";

export type Caller =
  | { kind: "operator" }
  | ({ kind: "user" } & NamedUser)
  /** Gateway mode, the API key and no user (Open WebUI fetching the spec): may list tools, not call them. */
  | { kind: "key-holder" };

/** The caller as records and forms name them: a user's permission key (their email), else what kind of caller it is. */
export function callerKey(caller: Caller): string {
  return caller.kind === "user" ? caller.email : caller.kind;
}

/** Headers that claim an identity; never logged, never passed upstream. */
export const IDENTITY_HEADERS = [
  "x-user-email",
  "x-user-groups",
  "x-openwebui-user-email",
  "x-openwebui-user-role",
  "x-openwebui-user-name",
  "x-openwebui-user-id",
  OPENWEBUI_JWT_HEADER,
];

export async function identify(headers: Headers, settings: AuthSettings, keyVerified: boolean): Promise<Caller> {
  if (!settings.gatewayMode) return { kind: "operator" };
  // Trimmed like the setting (workerd keeps a header's trailing whitespace; other servers drop it).
  const secret = headers.get("x-gateway-secret")?.trim() ?? null;
  if (secret !== null) {
    if (!settings.gatewaySecret || !(await timingSafeEqual(settings.gatewaySecret, secret))) {
      throw new ProxyError(401, "unauthenticated", "X-Gateway-Secret is wrong: identity headers are accepted only from the trusted gateway");
    }
    return { kind: "user", ...userFromGatewayHeaders(headers) };
  }
  const token = headers.get(OPENWEBUI_JWT_HEADER);
  if (token !== null) {
    if (!settings.openWebUiJwtKey) throw new ProxyError(401, "unauthenticated", "X-OpenWebUI-User-Jwt is not trusted here: OPENWEBUI_JWT_SECRET is not set");
    return { kind: "user", ...(await userFromOpenWebUiJwt(token, settings.openWebUiJwtKey)) };
  }
  if (IDENTITY_HEADERS.some((name) => headers.has(name))) {
    throw new ProxyError(
      401,
      "unauthenticated",
      "Identity headers are accepted only from the trusted gateway (X-Gateway-Secret) or signed by Open WebUI (X-OpenWebUI-User-Jwt)",
    );
  }
  if (keyVerified) return { kind: "key-holder" };
  throw new ProxyError(
    401,
    "unauthenticated",
    "This proxy serves users through its gateway or Open WebUI: X-Gateway-Secret or X-OpenWebUI-User-Jwt is missing",
  );
}
