// `npm run test:fuzz`: schemathesis against a running stack — real workerd, the bridge, the real
// PostgreSQL (a throwaway database), the bundled servers plus the `everything` reference server —
// over every operation of the published /openapi.json, authenticated with the key. Fails on a
// 5xx of the proxy's own (see checks.py) or a response the document does not describe.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, buildBridge, buildWorker, startStack } from "../../scripts/stack.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { freePort } from "../helpers/processes.ts";
import { requirePostgres } from "../helpers/requires.ts";
import { summarise } from "./summary.ts";

/** Generated cases per operation in the fuzzing phase; with 45 operations and the coverage phase, over 5,000 cases. */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 100);
const MIN_CASES = Number(process.env.FUZZ_MIN_CASES ?? 5_000);
const SEED = process.env.FUZZ_SEED ?? "20260831";
const API_KEY = "fuzz-key-0123456789abcdef";

const venv = run("bash", [join(ROOT, "scripts/schemathesis-venv.sh")])
  .trim()
  .split("\n")
  .at(-1)!;
await requirePostgres();
buildWorker();
buildBridge();

const dir = mkdtempSync(join(tmpdir(), "mcp-proxy-fuzz-"));
const sample = join(dir, "sample");
cpSync(join(ROOT, "catalog/sample"), sample, { recursive: true });
const catalog = join(dir, "catalog.json");
writeFileSync(catalog, JSON.stringify(fuzzCatalog(), null, 2));
const database = await createTestDatabase();
const log = join(dir, "stack.log");
const stack = await startStack({
  port: await freePort(),
  bridgePort: await freePort(),
  catalog,
  env: { MCP_API_KEY: API_KEY, DATABASE_URL: database.url, MCP_DATA_DIR: dir, MCP_SAMPLE_DIR: sample },
  stdio: "pipe",
});
for (const child of [stack.bridge, stack.worker]) {
  child.stdout?.on("data", (chunk: Buffer) => writeFileSync(log, chunk, { flag: "a" }));
  child.stderr?.on("data", (chunk: Buffer) => writeFileSync(log, chunk, { flag: "a" }));
}

let status = 1;
const started = Date.now();
try {
  const auth = { authorization: `Bearer ${API_KEY}` };
  await everyServerListed(stack.url, auth);
  const reportDir = join(ROOT, ".build/fuzz/report");
  rmSync(reportDir, { recursive: true, force: true });
  const args = [
    "--config-file",
    join(ROOT, "test/fuzz/schemathesis.toml"),
    "run",
    `${stack.url}/openapi.json`,
    "-H",
    `Authorization: Bearer ${API_KEY}`,
    "--max-examples",
    String(MAX_EXAMPLES),
    "--seed",
    SEED,
    "--workers",
    "2",
    "--request-timeout",
    "30",
    "--report",
    "ndjson,junit",
    "--report-dir",
    reportDir,
    "--report-ndjson-path",
    join(reportDir, "events.ndjson"),
  ];
  const code = await runInherit(join(venv, "bin/st"), args, { SCHEMATHESIS_HOOKS: "checks", PYTHONPATH: join(ROOT, "test/fuzz") });
  const summary = summarise(join(reportDir, "events.ndjson"));
  console.log(
    `\nfuzz: ${summary.cases} cases over ${summary.operations} operations, ${summary.checksRun} checks, ${summary.errors} errors, in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  console.log(
    `fuzz: responses by status: ${Object.entries(summary.responsesByStatus)
      .map(([code, n]) => `${code}: ${n}`)
      .join(", ")}`,
  );
  for (const [check, count] of Object.entries(summary.failuresByCheck)) console.log(`fuzz: failures of ${check}: ${count}`);
  if (Object.keys(summary.failuresByCheck).length === 0) console.log("fuzz: no failures");
  if (summary.cases < MIN_CASES) console.error(`fuzz: only ${summary.cases} cases, fewer than ${MIN_CASES}`);
  status = code === 0 && summary.cases >= MIN_CASES ? 0 : 1;
} finally {
  await stack.stop();
  await database.drop();
  if (status !== 0) console.error(`fuzz: the stack's log is ${log}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(status);

/** The bundled catalog's servers, on copies of their data, plus the MCP reference server. */
function fuzzCatalog() {
  const bundled = JSON.parse(readFileSync(join(ROOT, "catalog/mcp-servers.json"), "utf8")) as { mcpServers: Record<string, unknown> };
  return {
    mcpServers: {
      ...bundled.mcpServers,
      everything: { command: "mcp-server-everything", args: ["stdio"], description: "The MCP reference test server", timeoutMs: 2_000 },
    },
  };
}

/** Discovery runs in the background: fuzz the document once every server's tools are in it. */
async function everyServerListed(url: string, headers: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = "";
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${url}/servers`, { headers })).json()) as { servers: { name: string; status: string; toolCount: number | null }[] };
    if (body.servers.every((s) => s.status === "ok" && (s.toolCount ?? 0) > 0)) return;
    last = JSON.stringify(body.servers);
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the servers were not all listed within 60 s: ${last}`);
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status})`);
  return result.stdout;
}

/** In .build/fuzz, where schemathesis keeps its cache (.schemathesis/). */
function runInherit(command: string, args: string[], env: Record<string, string>): Promise<number> {
  const cwd = join(ROOT, ".build/fuzz");
  mkdirSync(cwd, { recursive: true });
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (code) => done(code ?? 1));
  });
}
