// `npm run bench`: every scenario, side by side in one run, written to bench/RESULTS.md and
// bench/results.json (the previous results.json is the comparison). Never part of `npm test`.
//   BENCH_ONLY=overhead,scale,permissions,audit  BENCH_SECONDS=5  BENCH_RUNS=3
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT, buildBridge, buildWorker } from "../scripts/stack.ts";
import { createTestDatabase } from "../scripts/throwaway-database.ts";
import { renderReport, type Run } from "./lib/report.ts";
import { audit } from "./scenarios/audit.ts";
import { overhead } from "./scenarios/overhead.ts";
import { permissions } from "./scenarios/permissions.ts";
import { scale } from "./scenarios/scale.ts";

const only = (process.env.BENCH_ONLY ?? "overhead,scale,permissions,audit").split(",");
const settings = { seconds: Number(process.env.BENCH_SECONDS) || 5, runs: Number(process.env.BENCH_RUNS) || 3 };
const jsonFile = join(ROOT, "bench/results.json");
const previous: Run | undefined = existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, "utf8")) : undefined;

buildWorker();
buildBridge();
// The stacks use PostgreSQL, as deployed; PGlite (the no-setup default) only if none answers.
const database = await createTestDatabase().catch(() => undefined);
if (database) process.env.DATABASE_URL = database.url;
const run: Run = {
  date: new Date().toISOString(),
  command: `BENCH_ONLY=${only.join(",")} BENCH_SECONDS=${settings.seconds} BENCH_RUNS=${settings.runs} npm run bench`,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  settings,
  revision: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim() || undefined,
  database: database ? "PostgreSQL on 127.0.0.1:5432" : "PGlite (no PostgreSQL answered)",
};
if (only.includes("overhead")) {
  console.error("[bench] tool-call overhead and peers");
  run.overhead = await overhead(settings);
}
if (only.includes("scale")) {
  console.error("[bench] 70 servers x 15 tools");
  run.scale = await scale({ seconds: settings.seconds });
}
if (only.includes("permissions")) {
  console.error("[bench] permissions path");
  run.permissions = await permissions(settings);
}
if (only.includes("audit")) {
  console.error("[bench] audit trail on and off");
  run.audit = await audit(settings);
}
await database?.drop();
writeFileSync(jsonFile, `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(join(ROOT, "bench/RESULTS.md"), renderReport(run, previous));
console.log(renderReport(run, previous));
process.exit(0);
