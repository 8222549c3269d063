// The bridge's answer when it cannot carry a request to a stdio server: a JSON-RPC error whose HTTP
// status says what kind (503: not running or still being discovered, 504: no answer in time,
// 502: it failed), and whose `data.reason`, when set, names a failure the worker passes on as its
// error code. Declared once; the bridge builds it with these types, the worker parses it.
import { z } from "zod";

export const BridgeFailureReason = z.enum(["result_too_large"]);
export type BridgeFailureReason = z.infer<typeof BridgeFailureReason>;

export const BridgeErrorStatus = z.union([z.literal(400), z.literal(404), z.literal(502), z.literal(503), z.literal(504)]);
export type BridgeErrorStatus = z.infer<typeof BridgeErrorStatus>;

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
