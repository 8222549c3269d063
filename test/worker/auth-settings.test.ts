// The worker's identity settings on their own: a gateway mode without its secret fails closed.
import { describe, expect, it } from "vitest";
import { parseGroups } from "../../functions/auth/gateway-headers.ts";
import { authSettings } from "../../functions/auth/settings.ts";
import type { Env } from "../../functions/env.ts";
import { ProxyError } from "../../functions/errors.ts";

const env = (extra: Partial<Env>): Env => ({ BRIDGE_URL: "http://127.0.0.1:1", BRIDGE_TOKEN: "t", ...extra });

describe("authSettings", () => {
  it("refuses every request (503) in gateway mode without API_GATEWAY_SECRET", () => {
    const attempt = () => authSettings(env({ API_GATEWAY_MODE: "true" }));
    expect(attempt).toThrow(ProxyError);
    expect(attempt).toThrow(/API_GATEWAY_SECRET/);
    try {
      attempt();
    } catch (error) {
      expect((error as ProxyError).status).toBe(503);
    }
  });

  it("refuses every request (503) with an OPENWEBUI_JWT_SECRET too short to sign safely, and takes one of 32+", () => {
    expect(() => authSettings(env({ API_GATEWAY_MODE: "true", OPENWEBUI_JWT_SECRET: "x".repeat(31) }))).toThrow(/at least 32/);
    const settings = authSettings(env({ API_GATEWAY_MODE: "true", OPENWEBUI_JWT_SECRET: "x".repeat(32) }));
    expect(settings.gatewayMode).toBe(true);
    expect(settings.openWebUiJwtKey).toEqual(new TextEncoder().encode("x".repeat(32)));
  });

  it("is single-operator mode unless API_GATEWAY_MODE is exactly true", () => {
    for (const value of [undefined, "", "false", "TRUE", "1", "yes"]) {
      expect(authSettings(env({ API_GATEWAY_MODE: value })).gatewayMode, String(value)).toBe(false);
    }
    expect(authSettings(env({ API_GATEWAY_MODE: "true", API_GATEWAY_SECRET: "s" })).gatewayMode).toBe(true);
  });

  it("defaults the admin group and the grants cache", () => {
    expect(authSettings(env({}))).toMatchObject({ adminGroup: "mcp-admins", grantsTtlMs: 10_000 });
    expect(authSettings(env({ ADMIN_GROUP: "ops", GRANTS_TTL_SECONDS: "2" }))).toMatchObject({ adminGroup: "ops", grantsTtlMs: 2_000 });
  });
});

describe("parseGroups", () => {
  it("trims, drops empty items and repeats, and sorts", () => {
    expect(parseGroups(" b , a,, ,b,")).toEqual(["a", "b"]);
    expect(parseGroups(null)).toEqual([]);
  });

  it("refuses too many groups and control characters", () => {
    expect(() => parseGroups(Array.from({ length: 101 }, (_, i) => `g${i}`).join(","))).toThrow(/more than 100/);
    expect(() => parseGroups("ok,bad\u0001group")).toThrow(/control characters/);
  });
});
