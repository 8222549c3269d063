// The settings tables (README, docs/sign-in.md) are generated from the declared lists: this fails when they drift.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { BRIDGE_SETTINGS } from "../bridges/config.ts";
import { AUTH_SERVICE_SETTINGS } from "../functions/auth-service/settings.ts";
import { WORKER_SETTINGS } from "../functions/settings.ts";
import { ADMIN_GROUP } from "../schema/admin-group.ts";
import { LOG_FORMAT, LOG_LEVEL } from "../schema/log-settings.ts";
import { README, SIGN_IN_DOC, SIGN_IN_SECTIONS, settingsSection, withSettingsSection } from "../scripts/settings-table.ts";
import { AUTH_SERVICE_BINDINGS, WORKER_BINDINGS } from "../scripts/workerd-config.ts";

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

it("has docs/sign-in.md's settings table exactly as the auth service's list gives it, with a workerd binding for each", () => {
  const doc = readFileSync(SIGN_IN_DOC, "utf8");
  expect(doc).toContain(settingsSection(SIGN_IN_SECTIONS));
  expect(withSettingsSection(doc, SIGN_IN_SECTIONS)).toBe(doc);
  for (const name of Object.keys(AUTH_SERVICE_SETTINGS)) expect(settingsSection(SIGN_IN_SECTIONS)).toContain(`| \`${name}\``);
  expect(AUTH_SERVICE_BINDINGS).toEqual(Object.keys(AUTH_SERVICE_SETTINGS));
});

it("declares a setting every side reads alike once (schema/), so each side's table says the same", () => {
  const shared = { ADMIN_GROUP, LOG_LEVEL };
  for (const list of [WORKER_SETTINGS, AUTH_SERVICE_SETTINGS, BRIDGE_SETTINGS]) {
    for (const [name, setting] of Object.entries(shared)) expect(list[name as keyof typeof list], name).toBe(setting);
  }
  for (const list of [WORKER_SETTINGS, AUTH_SERVICE_SETTINGS]) expect(list.LOG_FORMAT).toBe(LOG_FORMAT);
});
