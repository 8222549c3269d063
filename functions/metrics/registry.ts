// A tiny Prometheus registry: counters, fixed-bucket histograms and read-on-scrape gauges, written
// out in the text exposition format 0.0.4. Hand-written because prom-client leans on Node's APIs
// (perf_hooks, cluster) that workerd lacks, and the format is small.
// The values are plain numbers in module scope, so they count per isolate and start again at zero
// when the worker restarts; Prometheus' rate() and increase() treat such a reset as counters may.

export type Labels = Record<string, string>;

interface Metric {
  render(): string[];
}

const metrics = new Map<string, Metric>();

function register<M extends Metric>(name: string, metric: M): M {
  if (metrics.has(name)) throw new Error(`metric ${name} is registered twice`);
  metrics.set(name, metric);
  return metric;
}

export class Counter implements Metric {
  readonly #series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {
    register(name, this);
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = seriesKey(labels);
    const series = this.#series.get(key) ?? { labels, value: 0 };
    series.value += by;
    this.#series.set(key, series);
  }

  render(): string[] {
    return [...header(this.name, this.help, "counter"), ...[...this.#series.values()].map((s) => sample(this.name, s.labels, s.value))];
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Per bucket, the observations that fell in it alone: made cumulative when written out. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram implements Metric {
  readonly #series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    register(name, this);
  }

  observe(labels: Labels, value: number): void {
    const key = seriesKey(labels);
    const series = this.#series.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    const bucket = this.buckets.findIndex((bound) => value <= bound);
    if (bucket >= 0) series.counts[bucket]! += 1;
    series.sum += value;
    series.count += 1;
    this.#series.set(key, series);
  }

  render(): string[] {
    const lines = header(this.name, this.help, "histogram");
    for (const { labels, counts, sum, count } of this.#series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += counts[i]!;
        lines.push(sample(`${this.name}_bucket`, { ...labels, le: String(bound) }, cumulative));
      });
      lines.push(sample(`${this.name}_bucket`, { ...labels, le: "+Inf" }, count));
      lines.push(sample(`${this.name}_sum`, labels, sum), sample(`${this.name}_count`, labels, count));
    }
    return lines;
  }
}

/** A gauge whose value is read when scraped, e.g. from another module's counter. */
export function registerGauge(name: string, help: string, read: () => number): void {
  register(name, { render: () => [...header(name, help, "gauge"), sample(name, {}, read())] });
}

/** Every registered metric, in the text format (ends with a newline). */
export function renderMetrics(): string {
  return `${[...metrics.values()].flatMap((metric) => metric.render()).join("\n")}\n`;
}

export function header(name: string, help: string, type: "counter" | "gauge" | "histogram"): string[] {
  return [`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`];
}

/** One sample line; labels with an empty value are left out (Prometheus treats them as absent). */
export function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${formatValue(value)}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return String(value);
}

function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
