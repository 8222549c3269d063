import { requireCommands } from "../helpers/requires.ts";

export default function setup(): void {
  requireCommands("npm run test:deploy", [
    { command: "shellcheck", install: "apt-get install shellcheck" },
    { command: "cloud-init", install: "apt-get install cloud-init" },
  ]);
}
