// Who else hears of each ended call (the metrics), without the recording knowing them.
import type { CallRecord } from "./call-record.ts";

export type CallListener = (record: Readonly<CallRecord>) => void;

const listeners = new Set<CallListener>();

/** `listener` hears of every call recorded from now on, until the returned function is called. */
export function onCallRecorded(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A listener that throws is its own problem: the call and the other listeners go on. */
export function tellListeners(record: Readonly<CallRecord>): void {
  for (const listener of listeners) {
    try {
      listener(record);
    } catch {}
  }
}
