import { defineConfig } from "vitest/config";

// `npm run test:browser`: the proxy as browsers use it, in Debian's Chromium (apt-get install chromium).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
