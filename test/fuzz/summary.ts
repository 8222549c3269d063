// The fuzz run in figures, from schemathesis's NDJSON event stream: cases run, operations, checks
// run, responses by status, and failures by check (each failing case counted once per check).
// Passing custom checks are not recorded in the stream, so checksRun counts schemathesis's own.
import { readFileSync } from "node:fs";

interface Scenario {
  status: string;
  recorder: {
    label: string;
    cases?: Record<string, unknown>;
    checks?: Record<string, { name: string; status: string }[]>;
    interactions?: Record<string, { response?: { status_code: number } | null }>;
  };
}

export interface FuzzSummary {
  cases: number;
  operations: number;
  checksRun: number;
  failuresByCheck: Record<string, number>;
  responsesByStatus: Record<string, number>;
  errors: number;
}

export function summarise(ndjsonPath: string): FuzzSummary {
  const operations = new Set<string>();
  const failures: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  let cases = 0;
  let checksRun = 0;
  let errors = 0;
  for (const line of readFileSync(ndjsonPath, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as { ScenarioFinished?: Scenario; NonFatalError?: unknown };
    if (event.NonFatalError) errors += 1;
    const scenario = event.ScenarioFinished;
    if (!scenario || scenario.status === "skip") continue;
    operations.add(scenario.recorder.label);
    cases += Object.keys(scenario.recorder.cases ?? {}).length;
    for (const { response } of Object.values(scenario.recorder.interactions ?? {})) {
      if (response) statuses[response.status_code] = (statuses[response.status_code] ?? 0) + 1;
    }
    for (const checks of Object.values(scenario.recorder.checks ?? {})) {
      checksRun += checks.length;
      for (const check of checks) if (check.status === "failure") failures[check.name] = (failures[check.name] ?? 0) + 1;
    }
  }
  return { cases, operations: operations.size, checksRun, failuresByCheck: failures, responsesByStatus: statuses, errors };
}
