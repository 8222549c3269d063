// Bundles the bridge into one file, .build/bridge/main.mjs: it starts faster and holds half the
// memory of running its TypeScript through tsx. Packages stay in node_modules.
// `node --import tsx scripts/build-bridge.ts` does it from the command line (the bridge image).
import { buildSync } from "esbuild";
import { realpathSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
export const BRIDGE_BUNDLE = join(ROOT, ".build/bridge/main.mjs");

export function buildBridge(): string {
  return bundleForNode(join(ROOT, "bridges/main.ts"), BRIDGE_BUNDLE);
}

/** One ES module file for Node 20 from a TypeScript entry, its packages left in node_modules. */
export function bundleForNode(entry: string, outfile: string): string {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) buildBridge();
