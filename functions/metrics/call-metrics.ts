// The metrics the call recorder feeds: every ended call (observeCall) and the audit rows dropped
// while the database was away. Once per isolate, however many apps are made.
import { auditRecordsDropped, onCallRecorded } from "../calls/record-call.ts";
import { observeCall } from "./proxy-metrics.ts";
import { registerGauge } from "./registry.ts";

let observing = false;

export function observeCalls(): void {
  if (observing) return;
  observing = true;
  onCallRecorded(observeCall);
  registerGauge(
    "mcp_proxy_audit_records_dropped",
    "Audit rows dropped since the isolate started because the buffer was full while the database was away.",
    auditRecordsDropped,
  );
}
