// The README's settings tables are generated from the declared lists: this fails when they drift.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { BRIDGE_SETTINGS } from "../bridges/config.ts";
import { WORKER_SETTINGS } from "../functions/settings.ts";
import { README, settingsSection, withSettingsSection } from "../scripts/settings-table.ts";
import { WORKER_BINDINGS } from "../scripts/workerd-config.ts";

it("has the README's settings tables exactly as the declared lists give them (npm run docs:settings rewrites them)", () => {
  const readme = readFileSync(README, "utf8");
  expect(readme).toContain(settingsSection());
  expect(withSettingsSection(readme)).toBe(readme);
});

it("documents every declared setting, and gives workerd a binding for each of the worker's", () => {
  const section = settingsSection();
  for (const name of [...Object.keys(WORKER_SETTINGS), ...Object.keys(BRIDGE_SETTINGS)]) expect(section).toContain(`| \`${name}\``);
  expect(WORKER_BINDINGS).toEqual(Object.keys(WORKER_SETTINGS));
});
