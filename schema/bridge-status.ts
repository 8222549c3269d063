// The bridge's GET /status: the state of every stdio server it supervises. Declared once; the
// bridge builds it with these types and the worker parses it with this schema.
import { z } from "zod";

/** `idle`: not running, starts on the next call. `stopped`: shut down with the bridge. */
export const ProcessState = z.enum(["idle", "starting", "running", "backoff", "stopped"]);
export type ProcessState = z.infer<typeof ProcessState>;

export const StdioServerStatus = z.object({
  state: ProcessState,
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  /** Its initialize answer and tool list are on record: it can be listed without starting. */
  known: z.boolean(),
  /** A fixed description of what went wrong last, never text the server wrote. */
  lastError: z.string().optional(),
  /** When the current state began (ISO 8601). */
  since: z.string(),
  /** In `backoff`: when it starts again. */
  nextStartAt: z.string().optional(),
  /** A running server's answer time to a ping. */
  latencyMs: z.number().optional(),
});
export type StdioServerStatus = z.infer<typeof StdioServerStatus>;

export const BridgeStatus = z.object({
  status: z.literal("ok"),
  servers: z.record(z.string(), StdioServerStatus),
});
export type BridgeStatus = z.infer<typeof BridgeStatus>;
