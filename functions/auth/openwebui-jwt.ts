// The user Open WebUI names in X-OpenWebUI-User-Jwt: an HS256 token it signs with
// FORWARD_USER_INFO_HEADER_JWT_SECRET (claims sub, email, name, role, iss "open-webui", iat, exp).
// Only that algorithm, that issuer and an unexpired token with an email are believed.
import { errors, jwtVerify } from "jose";
import { ProxyError } from "../errors.ts";
import { checkedEmail, type NamedUser } from "./gateway-headers.ts";

export const OPENWEBUI_JWT_HEADER = "x-openwebui-user-jwt";
const ISSUER = "open-webui";
const CLOCK_TOLERANCE_SECONDS = 30;

export async function userFromOpenWebUiJwt(token: string, key: Uint8Array): Promise<NamedUser> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token.trim(), key, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      requiredClaims: ["sub", "email", "iat", "exp"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw new ProxyError(401, "invalid_token", `X-OpenWebUI-User-Jwt is not accepted: ${reason(error)}`, {}, { cause: error });
  }
  if (typeof payload.email !== "string") throw new ProxyError(401, "invalid_token", "X-OpenWebUI-User-Jwt is not accepted: its email claim is not a string");
  const role = typeof payload.role === "string" && payload.role ? { role: payload.role } : {};
  return { email: checkedEmail(payload.email.trim(), "The email claim of X-OpenWebUI-User-Jwt"), groups: [], ...role };
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "it has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `claim '${error.claim}' ${error.reason === "missing" ? "is missing" : `is invalid (${error.reason})`}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "it is not signed with HS256";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "its signature does not match OPENWEBUI_JWT_SECRET";
  if (error instanceof errors.JOSEError) return `it is malformed (${error.code})`;
  return "it is malformed";
}
