// A bad setting stops start-up, naming the variable: the bridge exits 2, `npm start` checks the
// worker's settings before it starts workerd and exits 2 too. (Their parsers alone:
// test/bridge/config.test.ts, test/worker/settings.test.ts.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_REFUSED_CONFIGURATION } from "../bridges/config.ts";
import { RefusedSettings, ROOT, startStack } from "../scripts/stack.ts";
import { freePort } from "./helpers/processes.ts";

const TOKEN = "test-token-0123456789abcdef";

/** The environment without the settings this machine may have exported. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["BRIDGE_TOKEN", "API_GATEWAY_MODE", "API_GATEWAY_SECRET", "DATABASE_URL", "LOG_LEVEL", "MAX_BODY_BYTES"]) delete env[name];
  return { ...env, ...extra };
}

function runBridge(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "settings-test-"));
  writeFileSync(join(dir, "catalog.json"), '{"mcpServers":{}}');
  const settings = { BRIDGE_TOKEN: TOKEN, MCP_CATALOG: join(dir, "catalog.json"), MCP_DATA_DIR: dir, BRIDGE_PORT: "0", ...env };
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bridges/main.ts")], {
    cwd: ROOT,
    env: cleanEnv(settings),
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("the bridge", () => {
  it.each([
    ["LOG_LEVEL", "loud", 'LOG_LEVEL "loud" is not one of debug, info, warn, error'],
    ["MAX_BODY_BYTES", "-1", 'MAX_BODY_BYTES "-1" is not a whole number of bytes of at least 1'],
  ])("exits 2 on %s=%s, naming it", (name, value, problem) => {
    const result = runBridge({ [name]: value });
    expect(result.status).toBe(EXIT_REFUSED_CONFIGURATION);
    expect(result.stderr).toContain(`[bridge] cannot start: ${problem}`);
  });
});

describe("npm start", () => {
  it("refuses the worker's bad settings before it starts anything", async () => {
    const started = startStack({ port: await freePort(), bridgePort: await freePort(), env: { GRANTS_TTL_SECONDS: "abc" }, stdio: "ignore" });
    await expect(started).rejects.toThrow(RefusedSettings);
    await expect(started).rejects.toThrow('GRANTS_TTL_SECONDS "abc" is not a whole number of seconds');
  });

  it("exits 2 naming the variable", async () => {
    const env = cleanEnv({ PORT: String(await freePort()), BRIDGE_PORT: String(await freePort()), MAX_BODY_BYTES: "-1" });
    // The check comes before the worker and the bridge are built.
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/start.ts")], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(EXIT_REFUSED_CONFIGURATION);
    expect(result.stderr).toContain(`[start] cannot start: the worker's settings are wrong: MAX_BODY_BYTES "-1" is not a whole number of bytes of at least 1`);
  });

  it("exits 2 on a PORT that is not a port", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/start.ts")], {
      cwd: ROOT,
      env: cleanEnv({ PORT: "80a" }),
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(EXIT_REFUSED_CONFIGURATION);
    expect(result.stderr).toContain('[start] cannot start: PORT "80a" is not a port number (0 to 65535)');
  });
});
