// `npm test` must pass on a fresh machine with only the README's commands run: none of its suites
// may call a program that npm does not install. Those live in suites of their own (test:deploy,
// test:browser, test:openwebui, test:e2e), which name what they need.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../scripts/stack.ts";

/** Programs a fresh machine lacks. */
const NOT_INSTALLED_BY_NPM = ["cloud-init", "shellcheck", "chromium", "docker", "hcloud", "traefik", "prometheus"];
/** A program run by a test through child_process, named by its command or its /usr/bin path. */
const runs = (program: string) => new RegExp(`\\b(spawn|spawnSync|execFile|execFileSync|execSync)\\(\\s*["'\`](/usr/bin/)?${program}["'\` ]`);

it("has no suite that needs a program npm does not install", () => {
  const listed = execFileSync(join(ROOT, "node_modules/.bin/vitest"), ["list", "--filesOnly", "--json"], { cwd: ROOT, encoding: "utf8" });
  const files = (JSON.parse(listed) as { file: string }[]).map(({ file }) => file);
  expect(files.length).toBeGreaterThan(10);
  const offenders = files.flatMap((file) => {
    const source = readFileSync(file, "utf8");
    return NOT_INSTALLED_BY_NPM.filter((program) => runs(program).test(source)).map((program) => `${file.slice(ROOT.length + 1)} runs ${program}`);
  });
  expect(offenders).toEqual([]);
});
