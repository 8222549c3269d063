// Reads the catalog file once at start-up; a bad file stops the bridge with the parser's message.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { parseCatalog, toWorkerServer, type Catalog, type WorkerCatalog } from "../schema/catalog/index.ts";

export interface LoadedCatalog {
  catalog: Catalog;
  /** The catalog's folder: stdio servers run there unless they name a `cwd`. */
  dir: string;
  forWorker: WorkerCatalog;
}

export function loadCatalog(path: string, env: NodeJS.ProcessEnv): LoadedCatalog {
  const shown = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read catalog ${shown}: ${(error as Error).message}`);
  }
  const catalog = parseCatalog(text, { file: shown, env });
  const servers = catalog.servers.map(toWorkerServer);
  const version = createHash("sha256").update(JSON.stringify(servers)).digest("hex").slice(0, 16);
  return { catalog, dir: dirname(path), forWorker: { version, servers } };
}
