/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. A bound, not a speed claim. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}
