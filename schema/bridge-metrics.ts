// The bridge's GET /metrics: how often each stdio server was started, crashed and restarted since
// the bridge started. The bridge builds it with this type; the worker parses it and writes it out
// among its own metrics on /metrics.
import { z } from "zod";

export const StdioCounts = z.object({
  /** Processes spawned: first starts, starts after an idle stop, and restarts. */
  starts: z.number().int(),
  /** A running process exited unasked. */
  crashes: z.number().int(),
  /** A process exited, or failed to answer initialize in time, while starting. */
  startFailures: z.number().int(),
  /** Starts after a crash or a failed start's backoff. */
  restarts: z.number().int(),
});
export type StdioCounts = z.infer<typeof StdioCounts>;

export const BridgeMetrics = z.object({ servers: z.record(z.string(), StdioCounts) });
export type BridgeMetrics = z.infer<typeof BridgeMetrics>;
