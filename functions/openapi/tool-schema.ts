// A tool's JSON Schema made readable for Open WebUI, which resolves only `#/components/...`
// references: local references are inlined where acyclic, and recursive ones are hoisted to
// `components.schemas` under names unique to the tool. Every other keyword is kept.
import { sanitizeName } from "./operation-id.ts";

export type JsonSchema = Record<string, unknown>;

export interface RewrittenSchema {
  schema: JsonSchema;
  components: Record<string, JsonSchema>;
}

const DEFINITION_KEYS = ["$defs", "definitions"];

export function rewriteSchema(input: unknown, componentPrefix: string): RewrittenSchema {
  const root = isObject(input) ? input : {};
  const components: Record<string, JsonSchema> = {};
  const names = new Map<string, string>(); // JSON pointer → component name
  const used = new Set<string>();
  const expanding: string[] = [""]; // the root itself may be referenced as "#"

  const componentName = (pointer: string): string => {
    let name = names.get(pointer);
    if (!name) {
      const last = pointer.split("/").pop() || "Root";
      name = sanitizeName(`${componentPrefix}__${decodePointerToken(last)}`);
      while (used.has(name)) name += "_";
      names.set(pointer, name);
      used.add(name);
    }
    return name;
  };

  const expandRef = (pointer: string, siblings: JsonSchema): unknown => {
    if (expanding.includes(pointer)) return { ...siblings, $ref: `#/components/schemas/${componentName(pointer)}` };
    const target = resolvePointer(root, pointer);
    if (target === undefined) return { ...siblings, $ref: `#${pointer}` }; // dangling: leave it as written
    expanding.push(pointer);
    const expanded = walk(target, pointer === "");
    expanding.pop();
    if (names.has(pointer) && isObject(expanded)) components[names.get(pointer)!] = expanded;
    return isObject(expanded) ? { ...expanded, ...siblings } : expanded;
  };

  const walk = (node: unknown, atRoot = false): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (!isObject(node)) return node;
    const { $ref, ...rest } = node;
    const siblings: JsonSchema = {};
    for (const [key, value] of Object.entries(rest)) {
      if (atRoot && DEFINITION_KEYS.includes(key)) continue;
      siblings[key] = key === "properties" || key === "patternProperties" || DEFINITION_KEYS.includes(key) ? mapValues(value, walk) : walk(value);
    }
    if (typeof $ref === "string" && $ref.startsWith("#")) return expandRef(decodeURIComponent($ref.slice(1)), siblings);
    return $ref === undefined ? siblings : { ...siblings, $ref };
  };

  const schema = walk(root, true) as JsonSchema;
  if (names.has("")) components[names.get("")!] = schema;
  if (schema.type === undefined) schema.type = "object";
  if (schema.type === "object" && schema.properties === undefined) schema.properties = {};
  delete schema.$schema;
  return { schema, components };
}

function mapValues(value: unknown, fn: (node: unknown) => unknown): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fn(inner)]));
}

function resolvePointer(root: JsonSchema, pointer: string): unknown {
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = root;
  for (const token of pointer.slice(1).split("/")) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[decodePointerToken(token)];
  }
  return node;
}

function decodePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function isObject(value: unknown): value is JsonSchema {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
