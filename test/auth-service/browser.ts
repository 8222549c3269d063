// A browser as far as the sign-in needs one: a cookie jar, and redirects followed by hand
// (fetch with redirect: "manual") so a test sees every hop. Cookies are kept by name only (every
// server here is 127.0.0.1), which is enough: the service's and the stand-in's names differ.

export class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(url, { headers });
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: "POST", body: new URLSearchParams(form), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private async send(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    const headers = { accept: "text/html", ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}), ...init.headers };
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.keep(line);
    return response;
  }

  private keep(line: string): void {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const at = pair.indexOf("=");
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const maxAge = attributes.find((a) => /^max-age=/i.test(a))?.split("=")[1];
    const expires = attributes.find((a) => /^expires=/i.test(a))?.slice("expires=".length);
    const gone = value === "" || (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) < Date.now());
    if (gone) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

export function locationOf(response: Response): string {
  const location = response.headers.get("location");
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location, response.url).href;
}

/**
 * Signs in at the auth service as `username` through the stand-in's form, and returns the service's
 * answer to /callback (not followed further). `rd`: the return URL to ask for.
 */
export async function signIn(browser: Browser, authUrl: string, username: string, rd?: string): Promise<Response> {
  const login = await browser.get(`${authUrl}/login${rd === undefined ? "" : `?rd=${encodeURIComponent(rd)}`}`);
  return browser.get(await callbackUrl(browser, login, authUrl, username));
}

/** Follows the issuer's redirects from /login's answer, fills in its form, and stops at the redirect to /callback: its URL. */
export async function callbackUrl(browser: Browser, login: Response, authUrl: string, username: string): Promise<string> {
  let response = login;
  for (let hop = 0; hop < 10; hop += 1) {
    if (response.status >= 300 && response.status < 400) {
      const next = locationOf(response);
      if (next.startsWith(`${authUrl}/callback`)) return next;
      response = await browser.get(next);
    } else if (response.status === 200 && (await response.clone().text()).includes('id="sign-in"')) {
      response = await browser.postForm(response.url, { username });
    } else {
      throw new Error(`the sign-in stopped at ${response.url} with ${response.status}: ${(await response.text()).slice(0, 500)}`);
    }
  }
  throw new Error("the sign-in went round in circles");
}
