// Load against an HTTP endpoint (autocannon) or any async call (a closed loop of N workers),
// reduced to the same figures: calls per second, p50/p99 latency, errors.
import autocannon from "autocannon";

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** CPU time per call of the processes watched (e.g. workerd, the bridge), in µs. */
  cpuUs?: Record<string, number>;
}

export interface HttpLoad {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** The same body for every request, or a new one per request (JSON-RPC ids must be unique in a session). */
  body?: string | (() => string);
  connections: number;
  seconds: number;
  /** Whether a 2xx answer's body is a success (e.g. a JSON-RPC result, not an error); others count as errors. */
  valid?: (body: string) => boolean;
}

/** autocannon's load; latencies from each response (autocannon's own histogram has 1 ms steps). */
export async function httpLoad({ url, method = "POST", headers = {}, body, connections, seconds, valid }: HttpLoad): Promise<Figures> {
  const latencies: number[] = [];
  let invalid = 0;
  // autocannon hands a request's onResponse the body, then (synchronously, same client) emits
  // "response" with the latency: the verdict of the one is read by the other.
  let verdict = true;
  const onResponse = valid ? (status: number, answer: string) => (verdict = status >= 300 || valid(answer)) : undefined;
  const request = {
    ...(typeof body === "function" ? { setupRequest: (request: autocannon.Request) => ({ ...request, body: body() }) } : {}),
    ...(onResponse ? { onResponse } : {}),
  };
  const requests = Object.keys(request).length > 0 ? [request] : undefined;
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url,
        method,
        headers,
        ...(typeof body === "string" ? { body } : {}),
        ...(requests ? { requests } : {}),
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: 2,
      },
      (error, result) => (error ? fail(error) : done(result)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 300) return;
      if (verdict) latencies.push(responseTime);
      else invalid += 1;
      verdict = true;
    });
  });
  return { ...summarise(latencies, seconds), errors: result.errors + result.timeouts + result.non2xx + invalid };
}

/** N workers calling `call` back to back for `seconds`; latencies measured per call. */
export async function callLoad(call: () => Promise<unknown>, concurrency: number, seconds: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await call();
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { ...summarise(latencies, (performance.now() - started) / 1000), errors };
}

function summarise(latencies: number[], seconds: number): Omit<Figures, "errors"> {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { rps: Math.round(latencies.length / seconds), p50: at(0.5), p99: at(0.99), requests: latencies.length };
}

/** Median of several runs' figures, each field on its own, with the spread of rps. */
export function median(runs: Figures[]): Figures & { rpsSpread: [number, number] } {
  const mid = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const rpsValues = runs.map((r) => r.rps);
  return {
    rps: mid(rpsValues),
    p50: mid(runs.map((r) => r.p50)),
    p99: mid(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    requests: runs.reduce((n, r) => n + r.requests, 0),
    rpsSpread: [Math.min(...rpsValues), Math.max(...rpsValues)],
    ...(runs[0]?.cpuUs ? { cpuUs: Object.fromEntries(Object.keys(runs[0].cpuUs).map((k) => [k, mid(runs.map((r) => r.cpuUs?.[k] ?? 0))])) } : {}),
  };
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
