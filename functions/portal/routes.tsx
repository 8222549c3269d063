// The admin portal's routes under /portal: admins only (anyone else gets the 403 page), every
// change a POST checked by forms.tsx and answered with a 303 back to its page.
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { admins, applyChange, type Change, mappings, memberships } from "../routes/admin.ts";
import { type AppContext, scopeOf } from "../routes/context.ts";
import { accessPage } from "./access-page.tsx";
import { AUDIT_PATH, auditPage } from "./audit-page.tsx";
import { csrfToken, sameHost } from "./csrf.ts";
import { backWith, type Fields, readCheckedForm } from "./forms.tsx";
import { GROUPS_PATH, groupsPage } from "./groups-page.tsx";
import { ForbiddenPage, Layout } from "./layout.tsx";
import { serversPage } from "./servers-page.tsx";
import { USERS_PATH, usersPage } from "./users-page.tsx";

type Page = Parameters<AppContext["html"]>[0];

export function addPortal(app: Hono<AppEnv>): void {
  app.use("/portal", adminsOnly);
  app.use("/portal/*", adminsOnly);
  app.get("/portal", (c) => render(c, async () => serversPage(await scopeOf(c), c.req.query("notice"))));
  app.get(GROUPS_PATH, (c) => render(c, async () => groupsPage(await scopeOf(c), await csrfToken(c.env, c.get("access")), c.req.query("notice"))));
  app.get(USERS_PATH, (c) => render(c, async () => usersPage(await scopeOf(c), await csrfToken(c.env, c.get("access")), c.req.query("notice"))));
  app.get("/portal/access", (c) => render(c, async () => accessPage(await scopeOf(c), c.req.query("email"))));
  app.get(AUDIT_PATH, (c) => render(c, () => auditPage(c.env, c.req.query())));
  app.post(GROUPS_PATH, (c) => change(c, GROUPS_PATH, changeGrant));
  app.post(USERS_PATH, (c) => change(c, USERS_PATH, changeUser));
}

async function adminsOnly(c: AppContext, next: () => Promise<void>): Promise<Response | undefined> {
  if (c.get("access").admin) {
    await next();
    return undefined;
  }
  return c.html(`<!doctype html>${await (<ForbiddenPage />).toString()}`, 403);
}

/** A page, or the page that says what went wrong (in the ProxyError's status). */
async function render(c: AppContext, page: () => Promise<Page>): Promise<Response> {
  try {
    return c.html(`<!doctype html>${await (await page()).toString()}`);
  } catch (error) {
    if (!(error instanceof ProxyError)) throw error;
    return problemPage(c, error);
  }
}

async function change(c: AppContext, path: string, apply: (c: AppContext, fields: Fields) => Promise<string>): Promise<Response> {
  try {
    const fields = await readCheckedForm(c);
    return backWith(c, path, await apply(c, fields));
  } catch (error) {
    if (error instanceof z.ZodError)
      return problemPage(c, new ProxyError(400, "invalid_input", error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")));
    if (!(error instanceof ProxyError)) throw error;
    return problemPage(c, error);
  }
}

async function problemPage(c: AppContext, error: ProxyError): Promise<Response> {
  const page = (
    <Layout title="Not done">
      <p class="problem" role="alert">
        {error.message}
      </p>
      <p>
        <a href={backTo(c)}>Back</a>
      </p>
    </Layout>
  );
  return c.html(`<!doctype html>${await page.toString()}`, error.status as 400);
}

/** The portal page the refused form was on (its Referer, if this proxy's), else /portal. */
function backTo(c: AppContext): string {
  const referer = c.req.header("referer");
  if (referer === undefined || !sameHost(referer, c.req.url)) return "/portal";
  const { pathname, search } = new URL(referer);
  return pathname + search;
}

/** The one-item change a form asks for: add it, or remove it. */
function changeOf<Item>(item: Item, add: boolean): Change<Item> {
  return add ? { add: [item], remove: [] } : { add: [], remove: [item] };
}

async function changeGrant(c: AppContext, fields: Fields): Promise<string> {
  const item = mappings.item.parse({ group: fields.group, server: fields.server });
  const grant = fields.action === "grant";
  if (!grant && fields.action !== "revoke") throw new ProxyError(400, "invalid_input", "Unknown action");
  await applyChange(mappings, changeOf(item, grant), await scopeOf(c));
  return grant ? `Granted ${item.server} to group ${item.group}.` : `Revoked ${item.server} from group ${item.group}.`;
}

async function changeUser(c: AppContext, fields: Fields): Promise<string> {
  const scope = await scopeOf(c);
  switch (fields.action) {
    case "add-member":
    case "remove-member": {
      const item = memberships.item.parse({ email: fields.email, group: fields.group });
      const add = fields.action === "add-member";
      await applyChange(memberships, changeOf(item, add), scope);
      return add ? `Added ${item.email} to ${item.group}.` : `Removed ${item.email} from ${item.group}.`;
    }
    case "set-admin":
    case "unset-admin": {
      const item = admins.item.parse({ email: fields.email });
      const set = fields.action === "set-admin";
      await applyChange(admins, changeOf(item, set), scope);
      return set ? `${item.email} is an admin.` : `${item.email} is no longer an admin.`;
    }
    default:
      throw new ProxyError(400, "invalid_input", "Unknown action");
  }
}
