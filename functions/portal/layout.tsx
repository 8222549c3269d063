// The frame of every portal page: skip link, navigation, the one-line notice, minimal CSS.
import type { Child } from "hono/jsx";

export const PAGES = [
  { path: "/portal", label: "Servers" },
  { path: "/portal/groups", label: "Groups" },
  { path: "/portal/users", label: "Users" },
  { path: "/portal/access", label: "Access" },
  { path: "/portal/audit", label: "Audit trail" },
] as const;

const CSS = `
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
a{color:#0645ad}
:focus-visible{outline:3px solid #d9480f;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}
header{background:#f1f3f5;padding:8px 16px}header nav a{margin-right:12px;display:inline-block;padding:4px 0}
main{padding:8px 16px;max-width:1100px}
.notice{background:#e6fcf5;border:1px solid #0ca678;padding:6px 10px}
.problem{background:#fff5f5;border:1px solid #e03131;padding:6px 10px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #dee2e6;vertical-align:top;overflow-wrap:anywhere}
form.inline{display:inline}
fieldset{border:1px solid #ced4da;margin:12px 0}label{display:inline-block;margin:4px 12px 4px 0}
input,select,button{font:inherit;padding:4px 6px;min-height:32px}
@media (max-width:640px){
 table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-999px}
 tr{border-bottom:2px solid #adb5bd;padding:4px 0}td{border:0;padding:2px 0}
 td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
 label{display:block}
}`;

export interface LayoutProps {
  title: string;
  /** The one-line result of the last change (?notice=). */
  notice?: string | undefined;
  children?: Child;
  /** Show the links to the portal's pages (not to someone who may open none of them). */
  navigation?: boolean;
}

export function Layout({ title, notice, children, navigation = true }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · MCP Proxy admin`}</title>
        {/* Raw: a <style> element's text is not decoded, so escaped quotes would break the CSS. CSS is a constant. */}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        {navigation ? (
          <header>
            <nav aria-label="Admin portal">
              {PAGES.map((page) => (
                <a href={page.path} aria-current={page.label === title ? "page" : undefined}>
                  {page.label}
                </a>
              ))}
            </nav>
          </header>
        ) : null}
        <main id="main" tabindex={-1}>
          <h1>{title}</h1>
          {notice ? (
            <p class="notice" role="status">
              {notice}
            </p>
          ) : null}
          {children}
        </main>
      </body>
    </html>
  );
}

/** A table with a header row of `headers`; its rows are the children (each cell with a data-label for phone width). */
export function Table({ headers, children }: { headers: string[]; children?: Child }) {
  return (
    <table>
      <thead>
        <tr>
          {headers.map((header) => (
            <th scope="col">{header}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

export function ForbiddenPage() {
  return (
    <Layout title="Not allowed" navigation={false}>
      <p class="problem">Only admins may use the admin portal. Ask an admin to make you one, or to add you to the admin group.</p>
    </Layout>
  );
}
