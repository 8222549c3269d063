// The service's sealed values: the session cookie, the short-lived sign-in flow cookie and the
// personal API token. Each is a jose compact JWE (`dir` + A256GCM): encrypted AND authenticated, so
// a client can neither read nor alter one. Each purpose has its own key, derived from SESSION_SECRET
// with HKDF, and its own audience: a value sealed for one purpose never opens as another (a session
// cookie is not an API token). Stateless: nothing is stored; rotating SESSION_SECRET revokes them all.
import { EncryptJWT, errors, jwtDecrypt } from "jose";

export type Purpose = "session" | "flow" | "api-token";

/** Who signed in: what /verify forwards. */
export interface Identity {
  /** The permission key (schema/email.ts emailKey): lower case. */
  email: string;
  name: string;
  /** Mapped group names (ENTRA_GROUP_MAP), sorted. */
  groups: string[];
}

/** A sign-in in progress, between /login and /callback. */
export interface Flow {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

const AUDIENCE: Record<Purpose, string> = { session: "mcp-auth:session", flow: "mcp-auth:flow", "api-token": "mcp-auth:api-token" };

/** Derived keys, per secret and purpose: plain bytes, safe to keep across requests. */
const keys = new Map<string, Uint8Array>();

async function keyFor(secret: string, purpose: Purpose): Promise<Uint8Array> {
  const id = `${purpose}\u0000${secret}`;
  const known = keys.get(id);
  if (known) return known;
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveBits"]);
  const info = new TextEncoder().encode(`mcp-proxy auth-service ${purpose} A256GCM`);
  const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info }, material, 256);
  const key = new Uint8Array(bits);
  keys.set(id, key);
  return key;
}

export async function seal(secret: string, purpose: Purpose, claims: Identity | Flow, ttlSeconds: number): Promise<string> {
  return new EncryptJWT({ ...claims })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setAudience(AUDIENCE[purpose])
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .encrypt(await keyFor(secret, purpose));
}

/** The claims, or undefined for anything expired, tampered with, sealed with another key or for another purpose. */
async function open(secret: string, purpose: Purpose, token: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (!token) return undefined;
  try {
    const { payload } = await jwtDecrypt(token, await keyFor(secret, purpose), {
      audience: AUDIENCE[purpose],
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
      requiredClaims: ["exp"],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
    throw error;
  }
}

export async function openIdentity(secret: string, purpose: "session" | "api-token", token: string | undefined): Promise<Identity | undefined> {
  const claims = await open(secret, purpose, token);
  const { email, name, groups } = claims ?? {};
  if (typeof email !== "string" || typeof name !== "string" || !Array.isArray(groups) || !groups.every((g) => typeof g === "string")) return undefined;
  return { email, name, groups };
}

export async function openFlow(secret: string, token: string | undefined): Promise<Flow | undefined> {
  const claims = await open(secret, "flow", token);
  const { state, nonce, codeVerifier, returnTo } = claims ?? {};
  if (typeof state !== "string" || typeof nonce !== "string" || typeof codeVerifier !== "string" || typeof returnTo !== "string") return undefined;
  return { state, nonce, codeVerifier, returnTo };
}
