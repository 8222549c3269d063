// The worker's declared settings: parsed once per bindings, and a bad value refuses every request
// with a 503 that names it rather than falling back to the default.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../functions/app.ts";
import { type Env, settingsOf } from "../../functions/env.ts";
import { ProxyError } from "../../functions/errors.ts";
import { configureLog, log } from "../../functions/log.ts";
import { workerSettingProblems } from "../../functions/settings.ts";

const env = (extra: Partial<Env>): Env => ({ BRIDGE_URL: "http://127.0.0.1:1", BRIDGE_TOKEN: "t", ...extra });

afterEach(() => {
  vi.restoreAllMocks();
  configureLog({ LOG_LEVEL: "info", LOG_FORMAT: "json" });
});

describe("settingsOf", () => {
  it("gives the defaults for unset, empty and null bindings (workerd's unset ones are null)", () => {
    const settings = settingsOf(env({ MAX_BODY_BYTES: "", TOOLS_TTL_SECONDS: null }));
    expect(settings).toMatchObject({ MAX_BODY_BYTES: 4 * 1024 * 1024, TOOLS_TTL_SECONDS: 60, GRANTS_TTL_SECONDS: 10, LOG_LEVEL: "info", ALLOWED_HOSTS: "any" });
    expect(settings.CORS_ALLOW_ORIGINS).toBeUndefined();
  });

  it("parses the bindings once, not on every request", () => {
    const bindings = env({ GRANTS_TTL_SECONDS: "3" });
    expect(settingsOf(bindings)).toBe(settingsOf(bindings));
  });

  it("reads secrets without surrounding whitespace, as HTTP reads the header that carries them", () => {
    expect(settingsOf(env({ BRIDGE_TOKEN: " token\n", MCP_API_KEY: "key\t" }))).toMatchObject({ BRIDGE_TOKEN: "token", MCP_API_KEY: "key" });
  });

  it.each([
    ["GRANTS_TTL_SECONDS", "abc", 'GRANTS_TTL_SECONDS "abc" is not a whole number of seconds'],
    ["MAX_BODY_BYTES", "-1", 'MAX_BODY_BYTES "-1" is not a whole number of bytes of at least 1'],
    ["TOOLS_TTL_SECONDS", "1.5", 'TOOLS_TTL_SECONDS "1.5" is not a whole number of seconds'],
    ["LOG_LEVEL", "loud", 'LOG_LEVEL "loud" is not one of debug, info, warn, error'],
    ["LOG_FORMAT", "pretty", 'LOG_FORMAT "pretty" is not one of json, text'],
    ["BRIDGE_URL", "127.0.0.1:8001", 'BRIDGE_URL "127.0.0.1:8001" is not an http(s) URL'],
  ] as const)("refuses %s=%s with a 503 naming it", (name, value, problem) => {
    const attempt = () => settingsOf(env({ [name]: value }));
    expect(attempt).toThrow(ProxyError);
    expect(attempt).toThrow(problem);
    expect(workerSettingProblems(env({ [name]: value }))).toEqual([problem]);
  });

  it("names a missing required setting, and never shows a secret's value", () => {
    const problems = workerSettingProblems({ BRIDGE_URL: "http://127.0.0.1:1", OPENWEBUI_JWT_SECRET: "short-secret" });
    expect(problems).toEqual([expect.stringMatching(/^BRIDGE_TOKEN must be set/), "OPENWEBUI_JWT_SECRET must be at least 32 characters"]);
  });
});

describe("a worker with a bad setting", () => {
  it("answers every request, /health included, with 503 misconfigured naming the variable", async () => {
    const app = createApp();
    for (const path of ["/health", "/servers", "/openapi.json"]) {
      const response = await app.request(`http://localhost${path}`, {}, env({ GRANTS_TTL_SECONDS: "abc" }));
      expect(response.status, path).toBe(503);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("misconfigured");
      expect(body.error.message).toContain('GRANTS_TTL_SECONDS "abc" is not a whole number of seconds');
    }
  });
});

describe("LOG_LEVEL", () => {
  it("error silences the info and warn lines and keeps the errors", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    settingsOf(env({ LOG_LEVEL: "error" }));
    log("info", { event: "started" });
    log("warn", { event: "slow" });
    log("error", { event: "broken" });
    expect(info).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toEqual({ level: "error", event: "broken" });
  });

  it("info, the default, writes info lines", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    settingsOf(env({}));
    log("info", { event: "started" });
    log("debug", { event: "detail" });
    expect(info).toHaveBeenCalledTimes(1);
  });
});

describe("LOG_FORMAT", () => {
  it("json, the default, writes each line as one JSON object", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    settingsOf(env({}));
    log("info", { event: "started", server: "edge" });
    expect(JSON.parse(String(info.mock.calls[0]![0]))).toEqual({ level: "info", event: "started", server: "edge" });
  });

  it("text writes the same fields as one readable line", () => {
    const info = vi.spyOn(console, "log").mockImplementation(() => {});
    settingsOf(env({ LOG_FORMAT: "text" }));
    log("info", { event: "started", server: "edge" });
    expect(String(info.mock.calls[0]![0])).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}started {2}server=edge$/);
  });
});
