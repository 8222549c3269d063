// The auth service's settings as its list parses them (pure: no process started).
import { describe, expect, it } from "vitest";
import { mappedGroups, parseGroupMap } from "../../functions/auth-service/group-map.ts";
import { returnToOrDefault } from "../../functions/auth-service/return-to.ts";
import { readAuthServiceSettings } from "../../functions/auth-service/settings.ts";

const GOOD = {
  OIDC_ISSUER: "https://login.microsoftonline.com/0b6c3b1e-1111-4a5b-9c0d-000000000001/v2.0",
  OIDC_CLIENT_ID: "client",
  OIDC_CLIENT_SECRET: "client-secret",
  AUTH_PUBLIC_URL: "https://auth.example.com/",
  COOKIE_DOMAIN: "Example.com",
  SESSION_SECRET: "s".repeat(32),
  API_GATEWAY_SECRET: "gateway",
  BRIDGE_URL: "http://bridge:8001",
  BRIDGE_TOKEN: "bridge-token",
};

function problems(overrides: Record<string, string>): string[] {
  const read = readAuthServiceSettings({ ...GOOD, ...overrides });
  return "problems" in read ? read.problems : [];
}

describe("settings", () => {
  it("read a good set with defaults: 8 h sessions, 90-day tokens, no groups", () => {
    const read = readAuthServiceSettings(GOOD);
    if (!("settings" in read)) throw new Error(read.problems.join("; "));
    expect(read.settings.SESSION_TTL_SECONDS).toBe(28_800);
    expect(read.settings.API_TOKEN_TTL_DAYS).toBe(90);
    expect(read.settings.AUTH_PUBLIC_URL).toBe("https://auth.example.com");
    expect(read.settings.COOKIE_DOMAIN).toBe("example.com");
    expect(read.settings.ENTRA_GROUP_MAP).toBeUndefined();
  });

  it.each([
    ["OIDC_ISSUER", "http://login.microsoftonline.com/t/v2.0"],
    ["OIDC_ISSUER", "https://login.example.com/t/v2.0?x=1"],
    ["OIDC_ISSUER", "not a url"],
    ["AUTH_PUBLIC_URL", "https://example.com/auth"],
    ["AUTH_PUBLIC_URL", "http://auth.example.com"],
    ["COOKIE_DOMAIN", "https://example.com"],
    ["COOKIE_DOMAIN", "example .com"],
    ["SESSION_SECRET", "too-short"],
    ["SESSION_TTL_SECONDS", "8h"],
    ["ENTRA_GROUP_MAP", "alpha-users"],
    ["ENTRA_GROUP_MAP", "0b6c3b1e-1111-4a5b-9c0d-000000000001=a,0B6C3B1E-1111-4A5B-9C0D-000000000001=b"],
    ["ENTRA_GROUP_MAP", "0b6c3b1e-1111-4a5b-9c0d-000000000001=two words"],
    ["API_GATEWAY_SECRET", ""],
  ])("refuse %s=%j, naming it", (name, value) => {
    const found = problems({ [name]: value });
    expect(found.length).toBe(1);
    expect(found[0]).toMatch(new RegExp(`^${name} `));
  });

  it("never show a secret's value in a problem", () => {
    expect(problems({ SESSION_SECRET: "too-short-secret" }).join()).not.toContain("too-short-secret");
  });

  it("accept an http issuer only on a loopback host (a test's stand-in)", () => {
    expect(problems({ OIDC_ISSUER: "http://127.0.0.1:4000/t/v2.0", AUTH_PUBLIC_URL: "http://127.0.0.1:4001" })).toEqual([]);
    expect(problems({ OIDC_ISSUER: "http://localhost:4000/t/v2.0", AUTH_PUBLIC_URL: "http://auth.mcp.localhost:8080" })).toEqual([]);
  });
});

describe("the group map", () => {
  const map = parseGroupMap(" 0b6c3b1e-1111-4a5b-9c0d-000000000001 = alpha-users ,, 0B6C3B1E-2222-4A5B-9C0D-000000000002=beta-users");

  it("maps object ids in any case, keeps only mapped groups, each once, sorted", () => {
    expect(
      mappedGroups(map, ["0B6C3B1E-2222-4a5b-9c0d-000000000002", "0b6c3b1e-1111-4a5b-9c0d-000000000001", "0b6c3b1e-1111-4a5b-9c0d-000000000001", "other", 7]),
    ).toEqual(["alpha-users", "beta-users"]);
    expect(mappedGroups(new Map(), ["0b6c3b1e-1111-4a5b-9c0d-000000000001"])).toEqual([]);
  });
});

describe("return URLs", () => {
  const at = (rd: string | undefined) => returnToOrDefault(rd, "example.com", "https://auth.example.com");

  it("go only to https pages on the cookie domain, its subdomains, or this service", () => {
    expect(at("https://chat.example.com/c/1")).toBe("https://chat.example.com/c/1");
    expect(at("https://auth.example.com/token")).toBe("https://auth.example.com/token");
    for (const rd of [undefined, "", "/relative", "https://example.com.evil.net/", "https://notexample.com/", "http://chat.example.com/", "//evil.net"]) {
      expect(at(rd), String(rd)).toBe("https://chat.example.com/");
    }
  });

  it("may be plain http on a loopback host only (a local try-out on *.localhost)", () => {
    const local = (rd: string) => returnToOrDefault(rd, "mcp.localhost", "http://auth.mcp.localhost:8080");
    expect(local("http://chat.mcp.localhost:8080/c/1")).toBe("http://chat.mcp.localhost:8080/c/1");
    expect(local("http://evil.localhost/")).toBe("http://chat.mcp.localhost/");
    expect(at("http://chat.example.com/")).toBe("https://chat.example.com/");
  });
});
