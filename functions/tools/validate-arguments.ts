// A tool's arguments checked against its inputSchema before the upstream is called, so a missing
// or mistyped field is a 400 naming it, not a tool error. @cfworker/json-schema runs on workerd
// (Ajv cannot: it compiles schemas with `new Function`).
import { Validator, type OutputUnit, type Schema, type SchemaDraft } from "@cfworker/json-schema";
import { ProxyError } from "../errors.ts";
import type { Arguments } from "./arguments.ts";
import type { Tool } from "./tool-lists.ts";

const MAX_REPORTED = 5;
/** Keywords that only say "something inside failed": the inner unit names the field. */
const WRAPPERS = new Set([
  "properties",
  "items",
  "prefixItems",
  "additionalItems",
  "$ref",
  "$dynamicRef",
  "allOf",
  "false",
  "unevaluatedProperties",
  "dependentSchemas",
]);

/** Keyed by the tool object: a refreshed list brings new objects, and old ones are collected. */
const validators = new WeakMap<Tool, Validator | null>();

export function validateArguments(args: Arguments, tool: Tool, server: string): void {
  const validator = validatorFor(tool);
  if (!validator) return;
  const result = validator.validate(args);
  if (result.valid) return;
  const problems = [...new Set(result.errors.filter((unit) => !WRAPPERS.has(unit.keyword)).map(describe))];
  const shown = problems.slice(0, MAX_REPORTED).join("; ") + (problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : "");
  throw new ProxyError(400, "invalid_arguments", `Invalid arguments for '${tool.name}' of '${server}': ${shown || "they do not match its input schema"}`, {
    server,
    tool: tool.name,
  });
}

/** Null when the schema cannot be compiled. */
function validatorFor(tool: Tool): Validator | null {
  let validator = validators.get(tool);
  if (validator === undefined) {
    try {
      validator = new Validator(tool.inputSchema as Schema, draftOf(tool.inputSchema), false);
    } catch {
      validator = null; // a schema the validator cannot read: the upstream stays the judge
    }
    validators.set(tool, validator);
  }
  return validator;
}

/** The schema's own draft; MCP's default is 2020-12. */
function draftOf(schema: Record<string, unknown>): SchemaDraft {
  const uri = typeof schema.$schema === "string" ? schema.$schema : "";
  if (uri.includes("draft-04")) return "4";
  if (uri.includes("draft-07") || uri.includes("draft-06")) return "7";
  if (uri.includes("2019-09")) return "2019-09";
  return "2020-12";
}

function describe(unit: OutputUnit): string {
  const field = fieldOf(unit.instanceLocation);
  const where = field ? `'${field}'` : "the arguments";
  const quoted = /"([^"]*)"/.exec(unit.error)?.[1];
  switch (unit.keyword) {
    case "required":
      return `'${field ? `${field}.` : ""}${quoted}' is required`;
    case "additionalProperties":
      return `'${field ? `${field}.` : ""}${quoted}' is not a field this tool takes`;
    case "type": {
      const expected = /Expected (.*)\.$/.exec(unit.error)?.[1]?.replaceAll('"', "");
      return `${where} must be ${expected ?? "of another type"}, not ${quoted}`;
    }
    default:
      return `${where}: ${unit.error.replace(/^Instance /, "")}`;
  }
}

/** "#/items/0/name" → "items[0].name". */
function fieldOf(location: string): string {
  return location
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((token) => decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : path ? `${path}.${token}` : token), "");
}
