// Where a sign-in goes back to: only https pages on COOKIE_DOMAIN (or its subdomains) and this
// service's own pages, never anywhere else (no open redirect).

export function defaultReturnTo(cookieDomain: string): string {
  return `https://chat.${cookieDomain}/`;
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
  return url.protocol === "https:" && (url.hostname === cookieDomain || url.hostname.endsWith(`.${cookieDomain}`));
}
