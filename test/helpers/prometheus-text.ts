// A strict reader of Prometheus' text exposition format 0.0.4, for tests: it throws on any line
// the format does not allow, on a sample whose family has no TYPE line before it, and on a series
// written twice. https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromText {
  types: Map<string, string>;
  samples: PromSample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = '([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"';
const VALUE = "(NaN|[+-]Inf|[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<string, string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["_sum", "_count"] };

export function parsePromText(text: string): PromText {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const types = new Map<string, string>();
  const samples: PromSample[] = [];
  const seen = new Set<string>();
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue;
    const comment = COMMENT.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") addType(types, comment[2]!, comment[3]!);
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = parseSample(line);
    if (!familyOf(sample.name, types)) throw new Error(`no TYPE before ${sample.name}: ${line}`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`series written twice: ${line}`);
    seen.add(key);
    samples.push(sample);
  }
  return { types, samples };
}

function addType(types: Map<string, string>, name: string, type: string): void {
  if (!TYPES.has(type)) throw new Error(`unknown type ${type} for ${name}`);
  if (types.has(name)) throw new Error(`TYPE given twice for ${name}`);
  types.set(name, type);
}

function parseSample(line: string): PromSample {
  const match = SAMPLE.exec(line);
  if (!match) throw new Error(`not a sample line: ${line}`);
  const labels: Record<string, string> = {};
  for (const [, key, raw] of (match[2] ?? "").matchAll(new RegExp(LABEL, "g"))) {
    if (key! in labels) throw new Error(`label ${key} twice: ${line}`);
    labels[key!] = raw!.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  const value = match.at(-1)!;
  return {
    name: match[1]!,
    labels,
    value: value === "NaN" ? Number.NaN : value.endsWith("Inf") ? (value.startsWith("-") ? -Infinity : Infinity) : Number(value),
  };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const [family, type] of types) {
    if ((SUFFIXES[type] ?? []).some((suffix) => name === family + suffix)) return family;
  }
  return undefined;
}

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(text: PromText, name: string, labels: Record<string, string> = {}): PromSample[] {
  return text.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample's value, or 0 when there is none yet (a counter not yet moved). */
export function sampleValue(text: PromText, name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(text, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

/**
 * Checks every series of histogram `name`: buckets in increasing `le`, counts cumulative, a +Inf
 * bucket equal to _count, and a _sum. Returns how many series it checked.
 */
export function checkHistogram(text: PromText, name: string): number {
  const series = new Map<string, PromSample[]>();
  for (const bucket of samplesOf(text, `${name}_bucket`)) {
    const { le, ...rest } = bucket.labels;
    if (le === undefined) throw new Error(`${name}_bucket without le`);
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), bucket]);
  }
  for (const [key, buckets] of series) {
    const labels = Object.fromEntries(JSON.parse(key) as [string, string][]);
    const bounds = buckets.map((b) => Number(b.labels.le === "+Inf" ? Infinity : b.labels.le));
    if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) throw new Error(`${name} ${key}: le not increasing`);
    if (bounds.at(-1) !== Infinity) throw new Error(`${name} ${key}: no +Inf bucket`);
    if (buckets.some((b, i) => i > 0 && b.value < buckets[i - 1]!.value)) throw new Error(`${name} ${key}: buckets not cumulative`);
    const count = samplesOf(text, `${name}_count`, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
    const sum = samplesOf(text, `${name}_sum`, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
    if (count.length !== 1 || sum.length !== 1) throw new Error(`${name} ${key}: needs one _count and one _sum`);
    if (count[0]!.value !== buckets.at(-1)!.value) throw new Error(`${name} ${key}: +Inf bucket ${buckets.at(-1)!.value} != _count ${count[0]!.value}`);
  }
  return series.size;
}
