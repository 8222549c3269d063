// Where the project's files are, whether the bridge runs from its sources or from the bundle
// that `npm start` and the image build into .build/bridge.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${from} or above it`);
  }
}

export const PROJECT_ROOT = projectRoot(import.meta.dirname);
export const MIGRATIONS_DIR = join(PROJECT_ROOT, "schema/migrations");
/** The stdio servers installed with the proxy: the catalog may name their commands. */
export const BUNDLED_BIN_DIR = join(PROJECT_ROOT, "node_modules/.bin");
