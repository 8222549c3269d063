import { defineConfig } from "vitest/config";

// `npm run test:deploy`: the deployment files checked with the tools they are for (shellcheck,
// cloud-init, Prometheus), which a laptop may not have; .ci/run installs them (Prometheus is
// unpacked from Debian's package by scripts/prometheus-bin.sh). The monitoring test also needs
// PostgreSQL, as `npm test` does.
export default defineConfig({
  test: {
    include: ["test/hetzner/**/*.test.ts", "test/monitoring/**/*.test.ts"],
    globalSetup: ["test/hetzner/global-setup.ts", "test/monitoring/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
