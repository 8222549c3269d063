// The bridge's declared settings on their own: defaults, and a ConfigError naming each bad value.
import { resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, readBridgeConfig } from "../../bridges/config.ts";
import { log, setLogLevel } from "../../bridges/log.ts";

const TOKEN = "test-token-0123456789abcdef";

afterEach(() => {
  vi.restoreAllMocks();
  setLogLevel("info");
});

describe("readBridgeConfig", () => {
  it("gives the defaults for unset and empty variables (compose passes empty ones)", () => {
    expect(readBridgeConfig({ BRIDGE_TOKEN: TOKEN, ADMIN_EMAIL: "", MAX_BODY_BYTES: " " })).toMatchObject({
      BRIDGE_HOST: "127.0.0.1",
      BRIDGE_PORT: 8001,
      MCP_CATALOG: resolve("catalog/mcp-servers.json"),
      MCP_DATA_DIR: resolve(".data"),
      MAX_BODY_BYTES: 4 * 1024 * 1024,
      SQL_STATEMENT_TIMEOUT_MS: 5_000,
      ADMIN_EMAIL: undefined,
      ADMIN_GROUP: "mcp-admins",
      STDIO_IDLE_TIMEOUT_SECONDS: 300,
      MAX_RESULT_BYTES: 32 * 1024 * 1024,
      BRIDGE_BACKOFF_MS: 1_000,
      LOG_LEVEL: "info",
    });
  });

  it("trims the token as HTTP trims the header that carries it, and keys ADMIN_EMAIL as the worker does", () => {
    expect(readBridgeConfig({ BRIDGE_TOKEN: `${TOKEN}\n`, ADMIN_EMAIL: " Root@Example.COM " })).toMatchObject({
      BRIDGE_TOKEN: TOKEN,
      ADMIN_EMAIL: "root@example.com",
    });
  });

  it.each([
    ["MAX_BODY_BYTES", "-1", 'MAX_BODY_BYTES "-1" is not a whole number of bytes of at least 1'],
    ["SQL_STATEMENT_TIMEOUT_MS", "5s", 'SQL_STATEMENT_TIMEOUT_MS "5s" is not a whole number of milliseconds of at least 1'],
    ["BRIDGE_PORT", "70000", 'BRIDGE_PORT "70000" is not a port number (0 to 65535)'],
    ["LOG_LEVEL", "verbose", 'LOG_LEVEL "verbose" is not one of debug, info, warn, error'],
    ["BRIDGE_BACKOFF_MS", "abc", 'BRIDGE_BACKOFF_MS "abc" is not a whole number of milliseconds of at least 1'],
  ])("refuses %s=%s, naming it", (name, value, problem) => {
    expect(() => readBridgeConfig({ BRIDGE_TOKEN: TOKEN, [name]: value })).toThrow(new ConfigError(problem));
  });

  it("names every bad setting at once", () => {
    expect(() => readBridgeConfig({ MAX_BODY_BYTES: "0", LOG_LEVEL: "loud" })).toThrow(/^BRIDGE_TOKEN must be set.*; MAX_BODY_BYTES "0" .*; LOG_LEVEL "loud"/);
  });

  it("never shows a database URL, which holds a password", () => {
    const attempt = () => readBridgeConfig({ BRIDGE_TOKEN: TOKEN, DATABASE_URL: "mysql://app:s3cret@db/x" });
    expect(attempt).toThrow("DATABASE_URL is not a postgresql://user:password@host/database URL");
    expect(attempt).not.toThrow(/s3cret/);
  });

  it("refuses an owner URL without DATABASE_URL, and URLs that name no user", () => {
    expect(() => readBridgeConfig({ BRIDGE_TOKEN: TOKEN, DATABASE_OWNER_URL: "postgresql://mcp:pw@db/x" })).toThrow(/DATABASE_URL is not/);
    expect(() => readBridgeConfig({ BRIDGE_TOKEN: TOKEN, DATABASE_URL: "postgresql://db/x", DATABASE_OWNER_URL: "postgresql://mcp:pw@db/x" })).toThrow(
      "DATABASE_URL names no user",
    );
  });
});

describe("the bridge's log", () => {
  it("writes [bridge] lines at or above LOG_LEVEL: error silences info", () => {
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
    setLogLevel(readBridgeConfig({ BRIDGE_TOKEN: TOKEN, LOG_LEVEL: "error" }).LOG_LEVEL);
    log.info("listening");
    log.warn("slow");
    log.error("broken");
    expect(stderr.mock.calls).toEqual([["[bridge] broken"]]);
  });
});
