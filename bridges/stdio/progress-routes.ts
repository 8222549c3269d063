// Progress of the calls in flight over one stdio pipe. Each call that asks for progress gets a
// token of the bridge's own (the callers' tokens may clash on the shared pipe), and the server's
// reports are routed back by it. Not the SDK's `onprogress`: it drops a report that arrives in the
// same read as the answer (the answer removes the handler before the report's microtask runs);
// a route here lives until its call has settled.
import type { Progress, ProgressNotification } from "@modelcontextprotocol/sdk/types.js";

export type OnProgress = (progress: Progress) => void;

export class ProgressRoutes {
  private next = 0;
  private readonly routes = new Map<string, OnProgress>();

  /** Runs `call` with params carrying a fresh token routed to `onProgress` (as given, without one). */
  async around<T>(params: unknown, onProgress: OnProgress | undefined, call: (params?: Record<string, unknown>) => Promise<T>): Promise<T> {
    const own = params as Record<string, unknown> | undefined;
    if (!onProgress) return call(own);
    const token = `bridge-${++this.next}`;
    this.routes.set(token, onProgress);
    try {
      return await call({ ...own, _meta: { ...(own?._meta as object), progressToken: token } });
    } finally {
      this.routes.delete(token);
    }
  }

  deliver({ params: { progressToken, ...progress } }: ProgressNotification): void {
    this.routes.get(String(progressToken))?.(progress);
  }
}
