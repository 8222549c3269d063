import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // Each file starts its own stack (bridge, workerd, MCP servers): two cores, so one file at a time.
    fileParallelism: false,
  },
});
