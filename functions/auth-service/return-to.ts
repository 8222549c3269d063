// Where a sign-in goes back to: only https pages on COOKIE_DOMAIN (or its subdomains) and this
// service's own pages, never anywhere else (no open redirect). Plain http only on a loopback host
// (a test or a local try-out, e.g. COOKIE_DOMAIN=mcp.localhost).
import { isLoopback } from "./settings.ts";

/** The chat: https, or http for a loopback try-out (COOKIE_DOMAIN=mcp.localhost). */
export function defaultReturnTo(cookieDomain: string): string {
  return `${isLoopback(cookieDomain) ? "http" : "https"}://chat.${cookieDomain}/`;
}

/** The candidate when it is a URL we may send the browser to, else the default. */
export function returnToOrDefault(candidate: string | undefined, cookieDomain: string, publicUrl: string): string {
  return isAllowed(candidate, cookieDomain, publicUrl) ? new URL(candidate!).href : defaultReturnTo(cookieDomain);
}

function isAllowed(candidate: string | undefined, cookieDomain: string, publicUrl: string): boolean {
  if (!candidate) return false;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.origin === new URL(publicUrl).origin) return true;
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
  return secure && (url.hostname === cookieDomain || url.hostname.endsWith(`.${cookieDomain}`));
}
