// A stand-in for Microsoft Entra ID: oidc-provider on a loopback port, with the issuer at an
// Entra-shaped path (http://127.0.0.1:<port>/<tenant id>/v2.0) and Entra-shaped ID tokens (tid, oid,
// preferred_username, name, email, groups as object ids; a user flagged `overage` gets Entra's
// _claim_names/_claim_sources instead of groups, as for a member of 200+ groups).
//
// Its sign-in page is one form a test or a browser completes: type the username into
// `input#username` (name="username") and press `button#sign-in`; no password; consent is granted
// automatically. An unknown username shows the form again with `p#error`.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import { freePort } from "../../scripts/free-port.ts";

export interface StandInUser {
  /** What the user types into the form; also `preferred_username`, and `email` unless that is given. */
  username: string;
  name: string;
  /** The `email` claim; null: none (the service then falls back to preferred_username). Default: the username. */
  email?: string | null;
  /** Entra group object ids. */
  groups: string[];
  /** Entra's group overage: no `groups`, a pointer to Microsoft Graph instead. */
  overage?: boolean;
  /** Another tenant's `tid` (a token the service must refuse). */
  tid?: string;
}

export interface EntraStandInOptions {
  users: StandInUser[];
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tenantId?: string;
}

export interface EntraStandIn {
  issuer: string;
  tenantId: string;
  port: number;
  /** The users by username; change one (its groups, say) and the next sign-in sees it. */
  users: Map<string, StandInUser>;
  /** The object id (`oid`) of a user. */
  oidOf(username: string): string;
  stop(): Promise<void>;
}

export async function startEntraStandIn(options: EntraStandInOptions): Promise<EntraStandIn> {
  const tenantId = options.tenantId ?? randomUUID();
  const port = await freePort();
  const prefix = `/${tenantId}/v2.0`;
  const issuer = `http://127.0.0.1:${port}${prefix}`;
  const users = new Map(options.users.map((user) => [user.username, user]));
  const oids = new Map<string, string>();
  const oidOf = (username: string) => oids.get(username) ?? oids.set(username, randomUUID()).get(username)!;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        token_endpoint_auth_method: "client_secret_post",
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [await signingKey()] },
    cookies: { keys: [randomUUID()] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    // Entra puts these in the ID token itself, not only at userinfo.
    conformIdTokenClaims: false,
    claims: { openid: ["sub", "tid", "oid", "groups", "hasgroups"], profile: ["name", "preferred_username"], email: ["email"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${prefix}/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, username: string) => {
      const user = users.get(username);
      return user ? { accountId: username, claims: () => entraClaims(user, oidOf(username), tenantId) } : undefined;
    },
  });
  provider.on("server_error", (_ctx, error) => console.error("entra stand-in:", error));

  const handle = provider.callback();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    if (path.startsWith(`${prefix}/interaction/`)) {
      interaction(provider, users, req, res).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    } else if (path.startsWith(prefix)) {
      // Mounted at the issuer's path: oidc-provider finds its mount point from originalUrl.
      Object.assign(req, { originalUrl: req.url });
      req.url = req.url!.slice(prefix.length) || "/";
      handle(req, res);
    } else {
      res.statusCode = 404;
      res.end("not found");
    }
  });
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return {
    issuer,
    tenantId,
    port,
    users,
    oidOf,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function signingKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: "RS256", use: "sig" };
}

function entraClaims(user: StandInUser, oid: string, tenantId: string): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: `sub-${oid}`,
    tid: user.tid ?? tenantId,
    oid,
    name: user.name,
    preferred_username: user.username,
    ...(user.email === null ? {} : { email: user.email ?? user.username }),
  };
  if (!user.overage) return { ...claims, groups: user.groups };
  return {
    ...claims,
    _claim_names: { groups: "src1" },
    _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${oid}/getMemberObjects` } },
  };
}

/** The login form, and its answer: the user signs in and consents at once. */
async function interaction(provider: Provider, users: Map<string, StandInUser>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "POST") {
    const username = new URLSearchParams(await bodyOf(req)).get("username")?.trim() ?? "";
    if (!users.has(username)) return loginForm(res, details.uid, req.url!, "No such user");
    return finish(provider, req, res, username, details.params);
  }
  if (details.prompt.name === "login" || !details.session?.accountId) return loginForm(res, details.uid, req.url!);
  return finish(provider, req, res, details.session.accountId, details.params);
}

async function finish(provider: Provider, req: IncomingMessage, res: ServerResponse, accountId: string, params: Record<string, any>): Promise<void> {
  const grant = new provider.Grant({ accountId, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

function loginForm(res: ServerResponse, uid: string, action: string, error?: string): void {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.end(`<!doctype html><html><head><title>Sign in (Entra ID stand-in)</title></head><body>
<h1>Sign in</h1>${error ? `<p id="error">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(action)}" data-uid="${escapeHtml(uid)}">
<label for="username">Username</label> <input id="username" name="username" type="text" autofocus required>
<button id="sign-in" type="submit">Sign in</button>
</form></body></html>`);
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => done(body));
    req.on("error", fail);
  });
}
