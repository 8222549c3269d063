/** A failure the bridge reports to the worker with an HTTP status and a message naming the server. */
export class BridgeError extends Error {
  override name = "BridgeError";
  constructor(
    readonly status: 400 | 404 | 502 | 503 | 504,
    message: string,
  ) {
    super(message);
  }
}
