// Bundles the bridge into one file, .build/bridge/main.mjs: it starts faster and holds half the
// memory of running its TypeScript through tsx. Packages stay in node_modules.
// `node --import tsx scripts/build-bridge.ts` does it from the command line (the bridge image).
import { buildSync } from "esbuild";
import { realpathSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
export const BRIDGE_BUNDLE = join(ROOT, ".build/bridge/main.mjs");

export function buildBridge(): string {
  buildSync({
    entryPoints: [join(ROOT, "bridges/main.ts")],
    outfile: BRIDGE_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return BRIDGE_BUNDLE;
}

if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) buildBridge();
