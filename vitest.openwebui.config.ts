import { defineConfig } from "vitest/config";

// `npm run test:openwebui`: the real Open WebUI against the proxy. Its virtualenv (about 3 GB,
// a few minutes the first time) is made by scripts/openwebui-venv.sh, so it is kept out of npm test.
export default defineConfig({
  test: {
    include: ["test/openwebui/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
