import { BRIDGE_ANSWERS, type BridgeAnswer } from "../schema/call-outcomes.ts";
import type { BridgeErrorStatus, BridgeFailureReason } from "../schema/bridge-error.ts";

/** A failure the bridge reports to the worker: its kind (schema/call-outcomes.ts) and a message naming the server. */
export class BridgeError extends Error {
  override name = "BridgeError";
  readonly status: BridgeErrorStatus;
  /** What went wrong, for the worker to pass on (e.g. `result_too_large`). */
  readonly reason?: BridgeFailureReason;

  constructor(answer: BridgeAnswer, message: string, options: { reason?: BridgeFailureReason; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = BRIDGE_ANSWERS[answer];
    this.reason = options.reason;
  }
}
