// deploy/hetzner/provision.sh against a stand-in hcloud that records its calls: the right server,
// firewall rules and user data, and nothing created twice.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../../scripts/stack.ts";

const PROVISION = join(ROOT, "deploy/hetzner/provision.sh");
let state: string;
let env: NodeJS.ProcessEnv;

function provision(extra: Record<string, string> = {}) {
  return spawnSync("bash", [PROVISION], { env: { ...env, ...extra }, encoding: "utf8" });
}
const calls = () => readFileSync(join(state, "calls.log"), "utf8").trim().split("\n");

beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), "hcloud-"));
  const bin = mkdtempSync(join(tmpdir(), "hcloud-bin-"));
  copyFileSync(join(ROOT, "test/hetzner/hcloud-standin.sh"), join(bin, "hcloud"));
  execFileSync("chmod", ["+x", join(bin, "hcloud")]);
  const key = join(state, "id_ed25519.pub");
  writeFileSync(key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest test@example\n");
  env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    HCLOUD_STATE: state,
    SSH_PUBLIC_KEY: key,
    REPO_URL: "https://example.com/team/mcp-proxy.git",
    OPENAI_API_KEY: "",
    ...TEAM,
  };
});

/** The team stack's values, one with every character that sed or a shell could take for its own. */
const TEAM = {
  DOMAIN: "team.example.com",
  ACME_EMAIL: "ops@example.com",
  ENTRA_TENANT_ID: "d3158ef2-2a0f-4a04-a428-069e3b233a9e",
  ENTRA_CLIENT_ID: "6b1f0c2e-9d4a-4e8b-8f3c-2a7d5e1b9c40",
  ENTRA_CLIENT_SECRET: 'Xy8Q~a\'b|c&d\\e$HOME `id` "q"',
  ENTRA_GROUP_MAP: "3f1b8d6e-2c4a-4f57-9a0e-6b2d1c9e8a71=filesystem-users",
};

describe("provision.sh", () => {
  it("creates the SSH key, the firewall and the server with cloud-init user data", () => {
    const result = provision();
    expect(result.status, result.stderr).toBe(0);
    expect(calls()).toEqual([
      "ssh-key describe mcp-proxy",
      `ssh-key create --name mcp-proxy --public-key-from-file ${join(state, "id_ed25519.pub")}`,
      "firewall describe mcp-proxy",
      expect.stringMatching(/^firewall create --name mcp-proxy --rules-file \S+rules\.json$/),
      "server describe mcp-proxy",
      expect.stringMatching(
        /^server create --name mcp-proxy --type cx23 --image debian-12 --location nbg1 --ssh-key mcp-proxy --firewall mcp-proxy --user-data-from-file \S+user-data\.yaml$/,
      ),
      "server ip mcp-proxy",
    ]);
    expect(result.stdout).toContain("203.0.113.10");
  });

  it("opens 22, 80 and 443 to the world in the Cloud Firewall, and nothing else (Traefik is the only way in)", () => {
    const rules = JSON.parse(readFileSync(join(state, "rules.json"), "utf8"));
    expect(rules.map((r: any) => r.port)).toEqual(["22", "80", "443"]);
    for (const rule of rules) expect(rule).toMatchObject({ direction: "in", protocol: "tcp", source_ips: ["0.0.0.0/0", "::/0"] });
  });

  it("passes user data that cloud-init accepts, with the repository filled in", () => {
    const userData = readFileSync(join(state, "user-data.yaml"), "utf8");
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(userData).toContain("REPO_URL='https://example.com/team/mcp-proxy.git'");
    expect(userData).toContain("REPO_REF='main'");
    expect(userData).not.toMatch(/@[A-Z_]+@/);
    const schema = spawnSync("cloud-init", ["schema", "--config-file", join(state, "user-data.yaml")], { encoding: "utf8" });
    expect(schema.status, schema.stdout + schema.stderr).toBe(0);
  });

  it("hands the team stack's settings to the server's bootstrap exactly, through the env file it sources", () => {
    const userData = parse(readFileSync(join(state, "user-data.yaml"), "utf8"));
    const envFile = join(state, "bootstrap.env");
    writeFileSync(envFile, userData.write_files[0].content);
    const names = Object.keys(TEAM);
    const sourced = spawnSync("bash", ["-c", `set -a && . "$1" && printf '%s\\0' ${names.map((name) => `"$${name}"`).join(" ")}`, "bash", envFile], {
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(sourced.status, sourced.stderr).toBe(0);
    expect(
      Object.fromEntries(
        sourced.stdout
          .split("\0")
          .slice(0, -1)
          .map((value, i) => [names[i], value]),
      ),
    ).toEqual(TEAM);
  });

  it("creates nothing twice when run again", () => {
    const before = calls().length;
    const result = provision();
    expect(result.status, result.stderr).toBe(0);
    const again = calls().slice(before);
    expect(again.filter((call) => call.includes(" create "))).toEqual([]);
    expect(again).toEqual(["ssh-key describe mcp-proxy", "firewall describe mcp-proxy", "server describe mcp-proxy", "server ip mcp-proxy"]);
    expect(result.stdout).toContain("server mcp-proxy: exists");
  });

  it("opens port 8000 too when asked (the proxy alone), and refuses to run without a repository", () => {
    const other = mkdtempSync(join(tmpdir(), "hcloud-"));
    const open = provision({ HCLOUD_STATE: other, OPEN_PORT_8000: "yes", SERVER_NAME: "second" });
    expect(open.status, open.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(other, "rules.json"), "utf8")).map((r: any) => r.port)).toEqual(["22", "80", "443", "8000"]);
    const missing = provision({ REPO_URL: "" });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("REPO_URL");
  });
});

describe("the templates", () => {
  it("cloud-init.yaml as shipped passes cloud-init's schema", () => {
    const schema = spawnSync("cloud-init", ["schema", "--config-file", join(ROOT, "deploy/hetzner/cloud-init.yaml")], { encoding: "utf8" });
    expect(schema.status, schema.stdout + schema.stderr).toBe(0);
  });

  it(".env.hetzner.example has a line for every variable the compose files demand, and bootstrap.sh generates the team stack's secrets", () => {
    const example = readFileSync(join(ROOT, ".env.hetzner.example"), "utf8");
    const files = ["docker-compose.hetzner.yml", "docker-compose.yml", "docker-compose.proxy-only.yml", "compose/team.yml", "compose/services.yml"];
    const demanded = new Set(files.flatMap((file) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/\$\{([A-Z_]+):\?/g)].map((match) => match[1]!)));
    expect([...demanded].sort()).toEqual(expect.arrayContaining(["ACME_EMAIL", "DOMAIN", "ENTRA_CLIENT_SECRET", "SESSION_SECRET"]));
    for (const name of demanded) expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
    expect(example).toMatch(/^ACME_CA_SERVER=https:\/\/acme-v02\.api\.letsencrypt\.org\/directory$/m);
    expect(example).toMatch(/^ENTRA_GROUP_MAP=$/m);
    const bootstrap = readFileSync(join(ROOT, "deploy/hetzner/bootstrap.sh"), "utf8");
    for (const secret of ["SESSION_SECRET", "API_GATEWAY_SECRET", "OPENWEBUI_JWT_SECRET", "WEBUI_SECRET_KEY", "MCP_API_KEY", "BRIDGE_TOKEN"]) {
      expect(bootstrap).toMatch(new RegExp(`GENERATED_SECRETS=\\([^)]*\\b${secret}:32\\b`));
    }
  });

  it("every shell script passes shellcheck", () => {
    const scripts = execFileSync("git", ["ls-files", "*.sh"], { cwd: ROOT, encoding: "utf8" }).trim().split("\n");
    expect(scripts.length).toBeGreaterThanOrEqual(10);
    const result = spawnSync("shellcheck", ["-x", ...scripts], { cwd: ROOT, encoding: "utf8" });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
