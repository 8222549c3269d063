// The service's few pages: server-rendered, every value escaped (hono/html), no script.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Identity } from "./session.ts";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function layout(title: string, body: Page): Page {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code,pre{background:#f3f3f3;padding:.2rem .4rem;word-break:break-all;white-space:pre-wrap}</style>
</head>
<body>
<h1>${title}</h1>
${body}
</body>
</html>`;
}

export function homePage(identity: Identity | undefined, chatUrl: string): Page {
  if (!identity) return layout("Not signed in", html`<p><a href="/login">Sign in</a></p>`);
  const groups = identity.groups.length > 0 ? identity.groups.join(", ") : "none";
  return layout(
    "Signed in",
    html`<p>Signed in as <strong id="name">${identity.name}</strong> (<span id="email">${identity.email}</span>), groups: <span id="groups">${groups}</span>.</p>
<p><a href="${chatUrl}">Open the chat</a> · <a href="/token">Personal API token</a> · <a href="/logout">Sign out</a></p>`,
  );
}

export function signedOutPage(): Page {
  return layout("You are signed out", html`<p><a href="/login">Sign in again</a></p>`);
}

export function tokenPage(token: string, mcpUrl: string, days: number): Page {
  return layout(
    "Personal API token",
    html`<p>For MCP and API clients (Claude Code, curl) against <code>${mcpUrl}</code>. It acts as you, with your groups as they are now, for ${days} days. Keep it secret: anyone holding it is you.</p>
<pre id="token">${token}</pre>
<p>Send it as a header:</p>
<pre>Authorization: Bearer ${token}</pre>
<p>For example: <code>curl -H "Authorization: Bearer $TOKEN" ${mcpUrl}/servers</code></p>
<p>Tokens are not stored anywhere: they cannot be revoked one by one. An administrator revokes every token (and every sign-in) by changing <code>SESSION_SECRET</code>.</p>`,
  );
}

/** A refused sign-in: what went wrong and what to do, never the token's contents. */
export function problemPage(title: string, explanation: string, retry = true): Page {
  return layout(title, html`<p>${explanation}</p>${retry ? html`<p><a href="/login">Try signing in again</a></p>` : ""}`);
}

export const OVERAGE_EXPLANATION =
  "Entra ID left your groups out of the sign-in because you are in too many groups (200 or more), so this service cannot tell which of them give you access. " +
  "An administrator fixes this in the Entra ID app registration: Token configuration → groups claim → “Groups assigned to the application”, and assigns the groups that matter to the application.";
