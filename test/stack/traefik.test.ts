// The real Traefik on docker-compose.yml's own command flags and labels (test/helpers/traefik.ts),
// TLS from a throwaway CA, in front of small real upstreams: an echo server for Open WebUI and one
// for the proxy, and a stand-in for the auth service's /verify (test/stack/upstreams.ts).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IDENTITY_RESPONSE_HEADERS } from "../../functions/auth-service/forward-auth.ts";
import { freePort } from "../../scripts/free-port.ts";
import { makeTestCertificate, type TestCertificate } from "../helpers/test-ca.ts";
import { type RunningTraefik, startTraefik } from "../helpers/traefik.ts";
import { fetchVia127, type Received, STAND_IN_SESSION_COOKIE, STAND_IN_USER, startAuthStandIn, startEchoServer, type TestServer } from "./upstreams.ts";

const DOMAIN = "example.test";
const GATEWAY_SECRET = "gateway-secret-from-the-auth-service-0123456789";
const FORGED = {
  "X-User-Email": "mallory@evil.example",
  "X-User-Name": "Mallory",
  "X-User-Groups": "mcp-admins",
  "X-Gateway-Secret": "forged-secret",
};

let cert: TestCertificate;
let chat: TestServer;
let mcp: TestServer;
let auth: TestServer;
let traefik: RunningTraefik;

beforeAll(async () => {
  cert = makeTestCertificate(DOMAIN);
  [chat, mcp, auth] = await Promise.all([startEchoServer("chat"), startEchoServer("mcp"), startAuthStandIn(DOMAIN, GATEWAY_SECRET)]);
  traefik = await startTraefik({ domain: DOMAIN, upstreams: { chat: chat.url, mcp: mcp.url, auth: auth.url }, cert });
});

afterAll(async () => {
  await traefik?.stop();
  await Promise.all([chat?.close(), mcp?.close(), auth?.close()]);
});

const get = (url: string, headers: Record<string, string> = {}) => fetchVia127(url, { ca: cert.caPem(), headers });
const verifyCalls = () => auth.received.filter((request) => request.url.startsWith("/verify")).length;
/** What an upstream received for one request, found by a marker in its path. */
const arrived = (server: TestServer, marker: string): Received | undefined => server.received.find((request) => request.url.includes(marker));

describe("Traefik from docker-compose.yml's flags and labels", () => {
  it("takes its routes from the labels: chat, mcp and auth, with ForwardAuth on chat and mcp only", () => {
    const routers = traefik.dynamic.http.routers;
    expect(Object.keys(routers).sort()).toEqual(["auth", "chat", "mcp", "mcp-health"]);
    expect(routers.chat).toMatchObject({ rule: `Host(\`chat.${DOMAIN}\`)`, entryPoints: ["websecure"], middlewares: ["secure-headers", "auth-forward"] });
    expect(routers.mcp.middlewares).toContain("auth-forward");
    expect(routers.auth.middlewares).not.toContain("auth-forward");
    expect(traefik.dynamic.http.middlewares["auth-forward"].forwardAuth).toMatchObject({
      authResponseHeaders: [...IDENTITY_RESPONSE_HEADERS],
      trustForwardHeader: false,
    });
  });

  it("redirects http:// to https:// for good", async () => {
    const answer = await fetchVia127(`http://chat.${DOMAIN}:${traefik.httpPort}/c/abc?x=1`);
    expect([301, 308]).toContain(answer.status);
    expect(answer.headers.location).toBe(`https://chat.${DOMAIN}:${traefik.httpsPort}/c/abc?x=1`);
    expect(chat.received).toEqual([]);
  });

  it("serves TLS that verifies against the CA (and not without it), for each name", async () => {
    for (const host of ["chat", "mcp", "auth"] as const) {
      const answer = await get(traefik.url(host, "/tls-check"));
      expect(answer.peerSubjectAltName).toContain(`DNS:*.${DOMAIN}`);
    }
    await expect(fetchVia127(traefik.url("auth", "/"))).rejects.toThrow(/self.signed|unable to (get|verify)/i);
  });

  it("sends each name to its own upstream, once signed in", async () => {
    const cookie = { cookie: STAND_IN_SESSION_COOKIE };
    const answers = await Promise.all([
      get(traefik.url("chat", "/route-chat"), cookie),
      get(traefik.url("mcp", "/route-mcp"), cookie),
      get(traefik.url("auth", "/route-auth")),
    ]);
    expect(answers.map((answer) => [answer.status, JSON.parse(answer.body).upstream])).toEqual([
      [200, "chat"],
      [200, "mcp"],
      [200, "auth"],
    ]);
    expect(arrived(chat, "/route-mcp")).toBeUndefined();
    expect(arrived(mcp, "/route-chat")).toBeUndefined();
  });

  it("sets HSTS and the other security headers on what it serves", async () => {
    const answer = await get(traefik.url("auth", "/headers"));
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["x-frame-options"]).toBe("SAMEORIGIN");
  });

  it("without a session: a browser is sent to sign in, an API client gets 401, and neither reaches the upstream, forged headers or not", async () => {
    const before = verifyCalls();
    const browser = await get(traefik.url("chat", "/forged-browser?q=1"), { ...FORGED, accept: "text/html" });
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toBe(
      `https://auth.${DOMAIN}/login?rd=${encodeURIComponent(`https://chat.${DOMAIN}:${traefik.httpsPort}/forged-browser?q=1`)}`,
    );
    const api = await get(traefik.url("mcp", "/forged-api"), { ...FORGED, authorization: "Bearer not-a-token", accept: "application/json" });
    expect(api.status).toBe(401);
    expect(verifyCalls()).toBe(before + 2);
    expect(arrived(chat, "/forged-browser")).toBeUndefined();
    expect(arrived(mcp, "/forged-api")).toBeUndefined();
  });

  it("with a session: the upstream sees the auth service's identity, never the client's forged one", async () => {
    for (const [server, host] of [
      [chat, "chat"],
      [mcp, "mcp"],
    ] as const) {
      const answer = await get(traefik.url(host, `/forged-signed-in-${host}`), { ...FORGED, cookie: STAND_IN_SESSION_COOKIE });
      expect(answer.status).toBe(200);
      const seen = arrived(server, `/forged-signed-in-${host}`)!.headers;
      expect(seen["x-user-email"]).toBe(STAND_IN_USER.email);
      expect(seen["x-user-name"]).toBe(STAND_IN_USER.name);
      expect(seen["x-user-groups"]).toBe(STAND_IN_USER.groups);
      expect(seen["x-gateway-secret"]).toBe(GATEWAY_SECRET);
      expect(JSON.stringify(seen)).not.toMatch(/mallory|forged-secret|mcp-admins/);
    }
  });

  it("drops headers that alias the identity headers (X_User_Email, X.Gateway.Secret) before any upstream sees them", async () => {
    const aliases = { X_User_Email: "mallory@evil.example", "X.Gateway.Secret": "forged-secret", X_User_Groups: "mcp-admins" };
    await get(traefik.url("chat", "/aliases"), { ...aliases, cookie: STAND_IN_SESSION_COOKIE });
    const seen = arrived(chat, "/aliases")!;
    expect(seen.rawNames.map((name) => name.toLowerCase())).not.toEqual(expect.arrayContaining([expect.stringMatching(/^x[_.]user[_.]email$/)]));
    expect(JSON.stringify(seen.headers)).not.toMatch(/mallory|forged-secret|mcp-admins/);
  });

  it("puts no ForwardAuth in front of auth.<domain>: the sign-in pages are reached without a session", async () => {
    const before = verifyCalls();
    const answer = await get(traefik.url("auth", "/login?rd=x"), { accept: "text/html" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).url).toBe("/login?rd=x");
    expect(verifyCalls()).toBe(before);
  });

  it("lets mcp.<domain>/health through without a session, and nothing else on mcp.<domain>", async () => {
    const before = verifyCalls();
    const health = await get(traefik.url("mcp", "/health"));
    expect([health.status, JSON.parse(health.body).upstream]).toEqual([200, "mcp"]);
    expect(verifyCalls()).toBe(before);
    for (const path of ["/health/x", "/healthz", "/openapi.json"]) {
      expect((await get(traefik.url("mcp", path))).status, path).toBe(401);
    }
    expect((await get(traefik.url("chat", "/health"))).status).toBe(401);
  });

  it("answers 404 to a name it does not serve", async () => {
    const answer = await fetchVia127(`https://other.${DOMAIN}:${traefik.httpsPort}/`, { ca: cert.caPem(), headers: { cookie: STAND_IN_SESSION_COOKIE } });
    expect(answer.status).toBe(404);
    const stranger = await fetchVia127(`https://unknown.invalid:${traefik.httpsPort}/`, { headers: {} }).catch((error: Error) => error.message);
    // Another name gets Traefik's default certificate, which no client trusts: refused before HTTP.
    expect(stranger).toMatch(/self.signed|unable to|certificate|altnames/i);
  });

  it("writes an access log line for each request", async () => {
    await vi.waitFor(() => {
      expect(traefik.accessLog()).toMatch(/"GET \/route-chat HTTP\/1\.1" 200 .*"chat@file"/);
      expect(traefik.accessLog()).toMatch(/"GET \/forged-api HTTP\/1\.1" 401 .*"mcp@file"/);
    });
  });
});

describe("the Let's Encrypt settings of docker-compose.yml", () => {
  it("load in Traefik as they are (resolver le, TLS-ALPN), and a certificate already in the store is served without asking the CA", async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}/directory`;
    const storage = join(mkdtempSync(join(tmpdir(), "acme-")), "acme.json");
    const [echo, authStandIn] = await Promise.all([startEchoServer("chat"), startAuthStandIn(DOMAIN, GATEWAY_SECRET)]);
    const withAcme = await startTraefik({
      domain: DOMAIN,
      upstreams: { chat: echo.url, mcp: echo.url, auth: authStandIn.url },
      cert,
      acme: { caServer: unreachable, storage },
    });
    try {
      expect(withAcme.flags).toEqual(
        expect.arrayContaining([
          "--entryPoints.websecure.http.tls.certResolver=le",
          "--certificatesResolvers.le.acme.tlsChallenge=true",
          "--certificatesResolvers.le.acme.email=acme@example.test",
          `--certificatesResolvers.le.acme.caServer=${unreachable}`,
        ]),
      );
      const answer = await fetchVia127(withAcme.url("auth", "/acme"), { ca: cert.caPem() });
      expect(answer.status).toBe(200);
      expect(withAcme.log()).toContain("Starting provider *acme.Provider");
      expect(withAcme.log()).toMatch(/acmeCA=\S*127\.0\.0\.1.*providerName=le\.acme/);
      expect(withAcme.log()).not.toMatch(/field not found|Command error/);
    } finally {
      await withAcme.stop();
      await Promise.all([echo.close(), authStandIn.close()]);
    }
  });
});
