// The Host and Origin checks on their own, with settings as an operator writes them.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv, Env } from "../../functions/env.ts";
import type { ProxyError } from "../../functions/errors.ts";
import { checkHost } from "../../functions/guards/hosts.ts";
import { checkOrigin } from "../../functions/guards/origins.ts";

function app(): Hono<AppEnv> {
  const hono = new Hono<AppEnv>();
  hono.use("*", checkHost(), checkOrigin());
  hono.all("*", (c) => c.text("ran"));
  hono.onError((error, c) => c.json((error as ProxyError).toJSON(), (error as ProxyError).status));
  return hono;
}
const env = (extra: Partial<Env>): Env => ({ BRIDGE_URL: "http://127.0.0.1:1", BRIDGE_TOKEN: "t", ...extra });
const status = async (url: string, headers: Record<string, string>, settings: Partial<Env>) => (await app().request(url, { headers }, env(settings))).status;

describe("ALLOWED_HOSTS", () => {
  const settings = { ALLOWED_HOSTS: " mcp.example.com , 127.0.0.1:8000, [::1]" };

  it("matches names on any port unless the entry names one, case-insensitively", async () => {
    expect(await status("http://mcp.example.com/servers", {}, settings)).toBe(200);
    expect(await status("http://MCP.example.com:9443/servers", {}, settings)).toBe(200);
    expect(await status("http://127.0.0.1:8000/servers", {}, settings)).toBe(200);
    expect(await status("http://[::1]:1234/servers", {}, settings)).toBe(200);
  });

  it("refuses other names and other ports with 421", async () => {
    for (const url of [
      "http://127.0.0.1:8001/servers",
      "http://evil.example/servers",
      "http://mcp.example.com.evil.example/servers",
      "http://localhost:8000/servers",
    ]) {
      expect(await status(url, {}, settings), url).toBe(421);
    }
  });

  it("answers to any name when unset, empty or *", async () => {
    for (const ALLOWED_HOSTS of [undefined, "", " * "]) expect(await status("http://anything.example/x", {}, { ALLOWED_HOSTS })).toBe(200);
  });
});

describe("CORS_ALLOW_ORIGINS", () => {
  it("takes origins as written, with or without a path, and ignores what is not an http(s) origin", async () => {
    const settings = { CORS_ALLOW_ORIGINS: "https://chat.example.com/, ftp://files.example.com, not a url" };
    const from = (origin: string) => status("http://proxy.example/openapi.json", { origin }, settings);
    expect(await from("https://chat.example.com")).toBe(200);
    expect(await from("ftp://files.example.com")).toBe(403);
    expect(await from("http://chat.example.com")).toBe(403);
  });
});
