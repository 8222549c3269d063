import { defineConfig } from "vitest/config";

// `npm run test:deploy`: the deployment files checked with the tools they are for (shellcheck,
// cloud-init), which a laptop may not have; .ci/run installs them.
export default defineConfig({
  test: {
    include: ["test/hetzner/**/*.test.ts"],
    globalSetup: ["test/hetzner/global-setup.ts"],
    testTimeout: 60_000,
  },
});
