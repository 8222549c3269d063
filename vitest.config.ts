import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Suites that need more than the README's commands install have scripts of their own:
    // test:deploy (shellcheck, cloud-init), test:browser (Chromium), test:openwebui (Open WebUI).
    exclude: ["test/hetzner/**", "test/browser/**", "test/openwebui/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // Each file starts its own stack (bridge, workerd, MCP servers): two cores, so one file at a time.
    fileParallelism: false,
  },
});
