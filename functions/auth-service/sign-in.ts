// GET /login and GET /callback: the sign-in with the issuer, the identity it yields, the group sync,
// and the session cookie.
import { emailKey } from "../../schema/email.ts";
import { FLOW_TTL_SECONDS, setFlowCookie, setSessionCookie, takeFlowCookie } from "./cookies.ts";
import { sqlViaBridge } from "../../schema/bridge-sql.ts";
import type { AuthContext } from "./env.ts";
import { mappedGroups } from "./group-map.ts";
import { syncEntraGroups } from "./group-sync.ts";
import { log } from "./log.ts";
import { authorizationUrl, completeSignIn, type IdTokenClaims, newFlow, SignInRefused } from "./oidc.ts";
import { OVERAGE_EXPLANATION, problemPage } from "./pages.ts";
import { returnToOrDefault } from "./return-to.ts";
import { type Identity, openFlow, seal } from "./session.ts";
import type { AuthServiceSettings } from "./settings.ts";

const SQL_TIMEOUT_MS = 5_000;

export async function login(c: AuthContext): Promise<Response> {
  const settings = c.get("settings");
  const returnTo = returnToOrDefault(c.req.query("rd"), settings.COOKIE_DOMAIN, settings.AUTH_PUBLIC_URL);
  const { flow, codeChallenge } = await newFlow(returnTo);
  let url: URL;
  try {
    url = await authorizationUrl(settings, flow, codeChallenge);
  } catch (error) {
    return unavailable(c, error);
  }
  setFlowCookie(c, await seal(settings.SESSION_SECRET, "flow", flow, FLOW_TTL_SECONDS));
  return c.redirect(url.href, 302);
}

export async function callback(c: AuthContext): Promise<Response> {
  const settings = c.get("settings");
  const flow = await openFlow(settings.SESSION_SECRET, takeFlowCookie(c));
  if (!flow) return refuse(c, 400, "This sign-in has expired or was already used", "missing or invalid flow cookie");
  let claims: IdTokenClaims;
  try {
    claims = await completeSignIn(settings, new URL(c.req.url), flow);
  } catch (error) {
    if (error instanceof SignInRefused) return refuse(c, 400, "The sign-in could not be completed", error.message);
    return unavailable(c, error);
  }
  const identity = identityFrom(claims, settings);
  if ("refusal" in identity) return refuse(c, identity.status, identity.title, identity.refusal, identity.explanation);
  try {
    await syncEntraGroups(sqlViaBridge(settings.BRIDGE_URL, settings.BRIDGE_TOKEN, SQL_TIMEOUT_MS), identity.email, identity.groups);
  } catch (error) {
    log("error", "group_sync_failed", { cause: (error as Error).message.slice(0, 300) });
    return c.html(problemPage("Sign-in is unavailable", "Your groups could not be saved (the database cannot be reached). Please try again in a minute."), 503);
  }
  setSessionCookie(c, settings, await seal(settings.SESSION_SECRET, "session", identity, settings.SESSION_TTL_SECONDS));
  log("info", "signed_in", { groups: identity.groups.length });
  return c.redirect(flow.returnTo, 302);
}

type Refusal = { status: 403; title: string; refusal: string; explanation: string };

/** Email (the permission key), name and mapped groups from the ID token, or why the sign-in is refused. */
function identityFrom(claims: IdTokenClaims, settings: AuthServiceSettings): Identity | Refusal {
  const names = claims._claim_names;
  if ((typeof names === "object" && names !== null && "groups" in names) || claims.hasgroups === true) {
    return { status: 403, title: "Too many groups", refusal: "group overage: the ID token has no groups claim", explanation: OVERAGE_EXPLANATION };
  }
  const address = typeof claims.email === "string" && claims.email !== "" ? claims.email : claims.preferred_username;
  const key = typeof address === "string" ? emailKey(address) : { ok: false as const, problem: "is missing" };
  if (!key.ok) {
    return {
      status: 403,
      title: "Your account has no usable email address",
      refusal: "no usable email claim",
      explanation: `The email address Entra ID sent ${key.problem}. Ask an administrator to give your account a plain email address.`,
    };
  }
  const name = typeof claims.name === "string" && claims.name !== "" ? claims.name : key.email;
  const groups = mappedGroups(settings.ENTRA_GROUP_MAP ?? new Map(), Array.isArray(claims.groups) ? claims.groups : []);
  return { email: key.email, name, groups };
}

/** The issuer could not be reached (or answered nonsense): 503, the cause in the log only. */
function unavailable(c: AuthContext, error: unknown): Response | Promise<Response> {
  log("error", "issuer_unreachable", { cause: String((error as Error)?.message ?? error).slice(0, 300) });
  return c.html(problemPage("Sign-in is unavailable", "The sign-in provider cannot be reached right now. Please try again in a minute."), 503);
}

function refuse(c: AuthContext, status: 400 | 403, title: string, reason: string, explanation?: string): Response | Promise<Response> {
  log("warn", "sign_in_refused", { reason });
  return c.html(problemPage(title, explanation ?? "Please start the sign-in again."), status);
}
