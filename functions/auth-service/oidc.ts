// OpenID Connect with the issuer (Entra ID): discovery, the authorization request (code flow, PKCE
// S256, state, nonce) and the callback (code exchange with the client secret, ID token validation).
import { createLocalJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import type { Flow } from "./session.ts";
import type { AuthServiceSettings } from "./settings.ts";

export const SCOPE = "openid profile email";
const TIMEOUT_MS = 5_000;

/** The claims this service reads from a validated ID token. */
export type IdTokenClaims = oauth.IDToken & Record<string, unknown>;

/** A sign-in the issuer or the browser got wrong (400); anything else thrown means the issuer could not be reached (503). */
export class SignInRefused extends Error {
  override name = "SignInRefused";
}

/**
 * Discovery, fetched on first use and kept per isolate as the plain JSON it is (never a promise or an
 * I/O object: workerd forbids sharing those across requests), so the service starts without Entra.
 */
let discovered: { issuer: string; server: oauth.AuthorizationServer } | undefined;

function insecureFor(issuer: string): { [oauth.allowInsecureRequests]?: true } {
  // Settings accept http only for a loopback issuer (a test's stand-in).
  return new URL(issuer).protocol === "http:" ? { [oauth.allowInsecureRequests]: true } : {};
}

export async function authorizationServer(issuer: string): Promise<oauth.AuthorizationServer> {
  if (discovered?.issuer === issuer) return discovered.server;
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: "oidc", signal: AbortSignal.timeout(TIMEOUT_MS), ...insecureFor(issuer) });
  const server = await oauth.processDiscoveryResponse(url, response);
  discovered = { issuer, server };
  return server;
}

export function redirectUri(settings: AuthServiceSettings): string {
  return `${settings.AUTH_PUBLIC_URL}/callback`;
}

export async function newFlow(returnTo: string): Promise<{ flow: Flow; codeChallenge: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const flow = { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier, returnTo };
  return { flow, codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier) };
}

export async function authorizationUrl(settings: AuthServiceSettings, flow: Flow, codeChallenge: string): Promise<URL> {
  const server = await authorizationServer(settings.OIDC_ISSUER);
  if (!server.authorization_endpoint) throw new Error("the issuer's discovery has no authorization_endpoint");
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: settings.OIDC_CLIENT_ID,
    redirect_uri: redirectUri(settings),
    response_type: "code",
    scope: SCOPE,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: codeChallenge,
    code_challenge_method: "S256",
  }).toString();
  return url;
}

/** The validated ID token's claims for the callback URL, or SignInRefused saying what is wrong. */
export async function completeSignIn(settings: AuthServiceSettings, callbackUrl: URL, flow: Flow): Promise<IdTokenClaims> {
  const server = await authorizationServer(settings.OIDC_ISSUER);
  const client: oauth.Client = { client_id: settings.OIDC_CLIENT_ID };
  const params = refusedOn(oauth.AuthorizationResponseError, oauth.OperationProcessingError, () =>
    oauth.validateAuthResponse(server, client, callbackUrl, flow.state),
  );
  const options = { signal: AbortSignal.timeout(TIMEOUT_MS), ...insecureFor(settings.OIDC_ISSUER) };
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.ClientSecretPost(settings.OIDC_CLIENT_SECRET),
    params,
    redirectUri(settings),
    flow.codeVerifier,
    options,
  );
  const result = await oauth
    .processAuthorizationCodeResponse(server, client, response, { expectedNonce: flow.nonce, requireIdToken: true })
    .catch((error: unknown) => {
      if (error instanceof oauth.ResponseBodyError) throw new SignInRefused(`the issuer refused the code: ${error.error}`);
      if (error instanceof oauth.OperationProcessingError) throw new SignInRefused(`the ID token is not valid: ${error.message}`);
      throw error;
    });
  await verifySignature(server, settings.OIDC_CLIENT_ID, result.id_token!, options);
  const claims = oauth.getValidatedIdTokenClaims(result) as IdTokenClaims;
  checkTenant(settings.OIDC_ISSUER, claims);
  return claims;
}

/**
 * oauth4webapi checks iss, aud, exp, iat and nonce, and trusts the signature to TLS (OIDC Core
 * 3.1.3.7); the signature is checked too against the issuer's keys, fetched per sign-in (rare).
 */
async function verifySignature(server: oauth.AuthorizationServer, clientId: string, idToken: string, options: { signal: AbortSignal }): Promise<void> {
  if (!server.jwks_uri) throw new Error("the issuer's discovery has no jwks_uri");
  const response = await fetch(server.jwks_uri, { signal: options.signal });
  if (!response.ok) throw new Error(`the issuer's keys answered HTTP ${response.status}`);
  const keys = createLocalJWKSet(await response.json());
  await jwtVerify(idToken, keys, { issuer: server.issuer, audience: clientId }).catch((error: unknown) => {
    throw new SignInRefused(`the ID token's signature is not valid: ${(error as Error).message}`);
  });
}

/** Entra: a tenant's issuer path holds its id; a token from another tenant is refused. */
function checkTenant(issuer: string, claims: IdTokenClaims): void {
  const tenant = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i.exec(new URL(issuer).pathname)?.[1];
  if (tenant && String(claims.tid ?? "").toLowerCase() !== tenant.toLowerCase()) throw new SignInRefused("the ID token is from another tenant (tid)");
}

function refusedOn<T>(a: abstract new (...args: never[]) => Error, b: abstract new (...args: never[]) => Error, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof a || error instanceof b) throw new SignInRefused(`the sign-in answer is not valid: ${(error as Error).message}`);
    throw error;
  }
}

/** Where the browser goes to sign out at the issuer, when it says (end_session_endpoint). */
export async function endSessionUrl(settings: AuthServiceSettings): Promise<URL | undefined> {
  const server = await authorizationServer(settings.OIDC_ISSUER);
  if (!server.end_session_endpoint) return undefined;
  const url = new URL(server.end_session_endpoint);
  url.searchParams.set("post_logout_redirect_uri", `${settings.AUTH_PUBLIC_URL}/signed-out`);
  url.searchParams.set("client_id", settings.OIDC_CLIENT_ID);
  return url;
}
