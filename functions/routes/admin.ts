// /admin/{memberships,mappings,admins}: list, grant and revoke (admins only). A change request
// may add and remove many rows; they are written in one transaction. `{}` changes nothing.
import { OpenAPIRoute } from "chanfana";
import { z } from "zod";
import { ALL_SERVERS, forgetAccess } from "../auth/access.ts";
import { emailKey } from "../../schema/email.ts";
import { GROUP } from "../auth/gateway-headers.ts";
import { sqlFor } from "../db.ts";
import type { Env } from "../env.ts";
import { ProxyError } from "../errors.ts";
import { parseJsonBody } from "../json-body.ts";
import { scopeOf, type AppContext, type RequestScope } from "./context.ts";

const QUERY_TIMEOUT_MS = 5_000;
const Email = z
  .string()
  .trim()
  .transform((address, context) => {
    const key = emailKey(address);
    if (key.ok) return key.email;
    context.addIssue({ code: "custom", message: key.problem });
    return z.NEVER;
  });
const Group = z.string().trim().regex(GROUP, "must be 1-128 characters, no commas or control characters");
const Server = z.string().trim().min(1).max(64);

export interface Resource<Item> {
  name: string;
  summary: string;
  item: z.ZodType<Item>;
  list: string;
  /** One statement for every item, over the columns as arrays: one request stays one statement. */
  add: string;
  remove: string;
  columns(items: Item[]): string[][];
  /** Refuses additions that cannot be right (removing what is not there is harmless). */
  checkAdditions?(items: Item[], scope: RequestScope): void;
}

export const memberships: Resource<{ email: string; group: string }> = {
  name: "memberships",
  summary: "users in groups (user_group_membership)",
  item: z.object({ email: Email, group: Group }),
  list: "SELECT user_email, group_name, source, created_at FROM user_group_membership ORDER BY group_name, user_email",
  add: "INSERT INTO user_group_membership (user_email, group_name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
  remove: "DELETE FROM user_group_membership m USING unnest($1::text[], $2::text[]) AS r(email, grp) WHERE m.user_email = r.email AND m.group_name = r.grp",
  columns: (items) => [items.map((i) => i.email), items.map((i) => i.group)],
};

export const mappings: Resource<{ group: string; server: string }> = {
  name: "mappings",
  summary: "groups' servers (group_tenant_mapping; '*' is every server)",
  item: z.object({ group: Group, server: Server }),
  list: "SELECT group_name, tenant_id, created_at FROM group_tenant_mapping ORDER BY group_name, tenant_id",
  add: "INSERT INTO group_tenant_mapping (group_name, tenant_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
  remove: "DELETE FROM group_tenant_mapping m USING unnest($1::text[], $2::text[]) AS r(grp, server) WHERE m.group_name = r.grp AND m.tenant_id = r.server",
  columns: (items) => [items.map((i) => i.group), items.map((i) => i.server)],
  checkAdditions(items, scope) {
    const known = new Set([ALL_SERVERS, ...scope.catalog.servers.map((s) => s.name)]);
    const unknown = items.filter((item) => !known.has(item.server)).map((item) => item.server);
    if (unknown.length > 0) throw new ProxyError(400, "unknown_server", `Not in the catalog: ${[...new Set(unknown)].join(", ")} (use '*' for every server)`);
  },
};

export const admins: Resource<{ email: string }> = {
  name: "admins",
  summary: "admins (user_admin_status)",
  item: z.object({ email: Email }),
  list: "SELECT user_email, is_admin, created_at, updated_at FROM user_admin_status ORDER BY user_email",
  // DISTINCT: DO UPDATE may not touch a row twice in one statement.
  add: "INSERT INTO user_admin_status (user_email, is_admin) SELECT DISTINCT email, true FROM unnest($1::text[]) AS email ON CONFLICT (user_email) DO UPDATE SET is_admin = true, updated_at = now()",
  remove: "UPDATE user_admin_status SET is_admin = false, updated_at = now() WHERE user_email = ANY($1::text[])",
  columns: (items) => [items.map((i) => i.email)],
};

// biome-ignore lint/suspicious/noExplicitAny: a list of resources of different item types
export const ADMIN_RESOURCES = [memberships, mappings, admins] as Resource<any>[];

export function listRoute(resource: Resource<unknown>): typeof OpenAPIRoute {
  return class extends OpenAPIRoute {
    override schema = {
      tags: ["admin"],
      summary: `List ${resource.summary}`,
      responses: { "200": { description: "The rows" }, "403": { description: "Not an admin" } },
    };

    override async handle(c: AppContext) {
      requireAdmin(c);
      return c.json({ [resource.name]: await listRows(c.env, resource) });
    }
  };
}

export function changeRoute<Item>(resource: Resource<Item>): typeof OpenAPIRoute {
  // Nothing to add or remove ({}) is a valid no-op answered with the rows: OpenAPI cannot say
  // "at least one non-empty list", and the published schema is the contract.
  const Change = z.object({ add: z.array(resource.item).max(1_000).default([]), remove: z.array(resource.item).max(1_000).default([]) });
  return class extends OpenAPIRoute {
    override schema = {
      tags: ["admin"],
      summary: `Grant and revoke ${resource.summary}, in one transaction`,
      request: { body: { content: { "application/json": { schema: Change } } } },
      responses: {
        "200": { description: "Done; the rows as they are now" },
        "400": { description: "Invalid input: error.message and error.fields name each field and what is wrong" },
        "403": { description: "Not an admin" },
      },
    };

    override async handle(c: AppContext) {
      requireAdmin(c);
      await requireJson(c.req.raw);
      const { body } = await this.getValidatedData<typeof this.schema>();
      const change = body as z.infer<typeof Change>;
      await applyChange(resource, change, await scopeOf(c));
      return c.json({ added: change.add.length, removed: change.remove.length, [resource.name]: await listRows(c.env, resource) });
    }
  };
}

export interface Change<Item> {
  add: Item[];
  remove: Item[];
}

/** The resource's rows, as the JSON API and the portal show them. */
export async function listRows(env: Env, resource: Resource<unknown>): Promise<Record<string, unknown>[]> {
  return (await runSql(() => sqlFor(env, QUERY_TIMEOUT_MS).query(resource.list))) as Record<string, unknown>[];
}

/** Adds and removes in one transaction, then drops the cached grants. Items must be parsed by resource.item. */
export async function applyChange<Item>(resource: Resource<Item>, change: Change<Item>, scope: RequestScope): Promise<void> {
  resource.checkAdditions?.(change.add, scope);
  const sql = sqlFor(scope.env, QUERY_TIMEOUT_MS);
  const statements = [
    ...(change.add.length > 0 ? [sql.query(resource.add, resource.columns(change.add))] : []),
    ...(change.remove.length > 0 ? [sql.query(resource.remove, resource.columns(change.remove))] : []),
  ];
  if (statements.length === 0) return;
  await runSql(() => sql.transaction(statements));
  forgetAccess();
}

/** chanfana reads a body that is not JSON as {}, which here would be a silent no-op. */
async function requireJson(request: Request): Promise<void> {
  parseJsonBody(await request.clone().text());
}

function requireAdmin(c: AppContext): void {
  if (!c.get("access").admin) throw new ProxyError(403, "forbidden", "Only admins may read or change permissions");
}

export async function runSql<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: string }).code;
    // A constraint the input broke is the caller's to fix; anything else is the database's.
    if (code?.startsWith("23") || code?.startsWith("22"))
      throw new ProxyError(400, "invalid_input", `The database refused the change: ${(error as Error).message}`, {}, { cause: error });
    throw new ProxyError(503, "database_unavailable", "The permissions database is unavailable", {}, { cause: error });
  }
}
