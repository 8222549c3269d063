import type { BridgeErrorStatus, BridgeFailureReason } from "../schema/bridge-error.ts";

/** A failure the bridge reports to the worker with an HTTP status and a message naming the server (schema/bridge-error.ts). */
export class BridgeError extends Error {
  override name = "BridgeError";
  constructor(
    readonly status: BridgeErrorStatus,
    message: string,
    /** What went wrong, for the worker to pass on (e.g. `result_too_large`). */
    readonly code?: BridgeFailureReason,
  ) {
    super(message);
  }
}
