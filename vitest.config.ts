import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig, defineProject } from "vitest/config";

// Three kinds of test, each in the pool that fits it (`vitest run --project <name>` runs one):
// - worker: the worker's modules, and its whole app driven with `app.request()`, inside workerd
//   (Miniflare, wrangler.toml's settings); test/helpers/shared-bridge.ts starts the one real
//   bridge and MCP server those app tests call.
// - node: plain Node tests (catalog parsing, the schema, the README's settings tables, the bridge's
//   modules and its stdio server process against the real edge server, the auth service's settings).
// - stack: suites that start the bridge, workerd and real MCP servers themselves, and the auth
//   service's (test/auth-service: workerd, the Entra ID stand-in, the bridge, PostgreSQL).
const worker = defineProject({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
  test: {
    name: "worker",
    include: ["test/worker/**/*.test.ts", "test/worker-app/**/*.test.ts"],
    globalSetup: ["test/helpers/shared-bridge.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});

const node = defineProject({
  test: {
    name: "node",
    include: [
      "test/{catalog,email,schema,settings-docs}.test.ts",
      "test/bridge/**/*.test.ts",
      "test/metrics/**/*.test.ts",
      "test/auth-service/settings.test.ts",
    ],
    globalSetup: ["test/node-global-setup.ts"],
  },
});

const stack = defineProject({
  test: {
    name: "stack",
    include: ["test/*.test.ts", "test/auth-service/**/*.test.ts"],
    exclude: ["test/{catalog,email,schema,settings-docs}.test.ts", "test/auth-service/settings.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // Each file starts its own stack (bridge, workerd, MCP servers). Most of a file's time is spent
    // waiting (timeouts, backoffs, idle timers), so two at a time on two cores (maxWorkers below).
  },
});

// Suites that need more than the README's commands install have configs of their own:
// test:deploy (shellcheck, cloud-init), test:browser (Chromium), test:openwebui (Open WebUI).
export default defineConfig({ test: { projects: [worker, node, stack], maxWorkers: 2 } });
