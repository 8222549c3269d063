// What every change form shares: the token field, reading the posted fields, the redirect back.
import type { AppContext } from "../routes/context.ts";
import { CSRF_FIELD, checkCsrf } from "./csrf.ts";

export type Fields = Record<string, string>;

/** A POST form that carries the caller's CSRF token. */
export function PostForm({ action, token, label, children, inline }: { action: string; token: string; label: string; children?: unknown; inline?: boolean }) {
  return (
    <form method="post" action={action} class={inline ? "inline" : undefined} aria-label={label}>
      <input type="hidden" name={CSRF_FIELD} value={token} />
      {children}
    </form>
  );
}

/** One button in a table row that posts `fields` (hidden) as a change: revoke, remove, unset. */
export function RowAction({ path, token, fields, button, label }: { path: string; token: string; fields: Fields; button: string; label: string }) {
  return (
    <PostForm action={path} token={token} label={label} inline>
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" aria-label={label}>
        {button}
      </button>
    </PostForm>
  );
}

/** The posted form's text fields, once Origin and the token are checked. */
export async function readCheckedForm(c: AppContext): Promise<Fields> {
  const body = await c.req.parseBody();
  const fields: Fields = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") fields[name] = value;
  await checkCsrf(c.env, c.get("access"), c.req.raw, fields[CSRF_FIELD]);
  return fields;
}

/** 303 back to the page, with its one-line notice. */
export function backWith(c: AppContext, path: string, notice: string): Response {
  return c.redirect(`${path}?notice=${encodeURIComponent(notice)}`, 303);
}
