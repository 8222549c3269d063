// Small real HTTP servers to put behind the real Traefik: an echo of what an upstream receives,
// and a STAND-IN FOR THE AUTH SERVICE's ForwardAuth endpoint (the real one, functions/auth-service,
// replaces it in the journey test). Plus an HTTPS client that reaches <name>.<domain> on 127.0.0.1
// and verifies the certificate against a given CA, as a browser would against a public one.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names exactly as they arrived (Node lowercases `headers`, but keeps X_User_Email apart from x-user-email). */
  rawNames: string[];
}

export interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

async function serve(
  handle: (request: Received, respond: (status: number, headers: Record<string, string>, body: string) => void) => void,
): Promise<TestServer> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const entry = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      rawNames: req.rawHeaders.filter((_, i) => i % 2 === 0),
    };
    received.push(entry);
    handle(entry, (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** An upstream that answers 200 with a JSON echo of the request it received. */
export function startEchoServer(name: string): Promise<TestServer> {
  return serve((request, respond) => respond(200, { "content-type": "application/json" }, JSON.stringify({ upstream: name, ...request })));
}

export const STAND_IN_USER = { email: "alice@example.com", name: "Alice Example", groups: "filesystem-users,memory-users" };
export const STAND_IN_SESSION_COOKIE = "session=ok";

/**
 * A stand-in for the auth service (NOT the auth service): GET /verify answers as its contract
 * says — 200 with X-User-Email, X-User-Name, X-User-Groups and X-Gateway-Secret for the cookie
 * `session=ok`; otherwise 302 to https://auth.<domain>/login?rd=<the original URL> for a browser
 * (Accept: text/html) and 401 for anyone else. Every other path answers 200 with an echo, as the
 * sign-in pages would be reached directly on auth.<domain>.
 */
export function startAuthStandIn(domain: string, gatewaySecret: string): Promise<TestServer> {
  return serve((request, respond) => {
    if (!request.url.startsWith("/verify")) {
      respond(200, { "content-type": "application/json" }, JSON.stringify({ upstream: "auth", ...request }));
      return;
    }
    const cookies = String(request.headers.cookie ?? "").split(/;\s*/);
    if (cookies.includes(STAND_IN_SESSION_COOKIE)) {
      respond(
        200,
        { "x-user-email": STAND_IN_USER.email, "x-user-name": STAND_IN_USER.name, "x-user-groups": STAND_IN_USER.groups, "x-gateway-secret": gatewaySecret },
        "",
      );
    } else if (String(request.headers.accept ?? "").includes("text/html")) {
      const original = `${request.headers["x-forwarded-proto"]}://${request.headers["x-forwarded-host"]}${request.headers["x-forwarded-uri"] ?? "/"}`;
      respond(302, { location: `https://auth.${domain}/login?rd=${encodeURIComponent(original)}` }, "");
    } else {
      respond(401, { "content-type": "application/json", "www-authenticate": "Bearer" }, JSON.stringify({ error: "unauthorized" }));
    }
  });
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The certificate the server presented (HTTPS only). */
  peerSubjectAltName?: string;
}

/**
 * GET (or another method) on a URL whose host is <name>.<domain>, connecting to 127.0.0.1 with
 * that name in SNI and Host. HTTPS verifies the certificate against `ca` (and fails without it).
 */
export function fetchVia127(url: string, options: { ca?: string; headers?: Record<string, string>; method?: string; body?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  const https = target.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? "GET",
        headers: { host: target.host, ...options.headers },
        ...(https ? { servername: target.hostname, ca: options.ca, rejectUnauthorized: true } : {}),
      },
      (res) => {
        const socket = res.socket as { getPeerCertificate?: () => { subjectaltname?: string } } | null;
        const peerSubjectAltName = socket?.getPeerCertificate?.().subjectaltname;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, peerSubjectAltName }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
