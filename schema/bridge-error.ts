// The bridge's answer when it cannot carry a request to a stdio server: a JSON-RPC error whose HTTP
// status says what kind (schema/call-outcomes.ts: BRIDGE_ANSWERS), and whose `data.reason`, when
// set, names a failure the worker passes on as its error code. Declared once; the bridge builds it
// with these types, the worker parses it.
import { z } from "zod";
import type { BRIDGE_ANSWERS } from "./call-outcomes.ts";

export const BridgeFailureReason = z.enum(["result_too_large"]);
export type BridgeFailureReason = z.infer<typeof BridgeFailureReason>;

export type BridgeErrorStatus = (typeof BRIDGE_ANSWERS)[keyof typeof BRIDGE_ANSWERS];

export const BridgeErrorBody = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]),
  error: z.object({
    code: z.number().int(),
    message: z.string(),
    data: z.object({ reason: BridgeFailureReason }).optional(),
  }),
});
export type BridgeErrorBody = z.infer<typeof BridgeErrorBody>;
