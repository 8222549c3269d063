// A wait with a time limit, for a promise other callers may share (so it is never cancelled).

/** `promise`, or the error `late()` makes if it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  if (ms <= 0) {
    promise.catch(() => {}); // its outcome no longer matters to this caller
    return Promise.reject(late());
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(late()), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
