// A request body read as JSON, with the one 400 every route gives for a body that is not.
import { ProxyError } from "./errors.ts";

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProxyError(400, "invalid_json", `The body is not valid JSON: ${(error as Error).message}`, {}, { cause: error });
  }
}
