/**
 * Races `work` against a timer. The work promise is returned too, so a caller
 * that gave up can still clean up after work that finishes late.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a possibly-synchronous function and always returns a promise. */
export function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Waits `ms`; rejects when `signal` aborts. Loops take one so tests and simulations can pass a virtual one; `delay` is the real one. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * Waits `ms`; rejects with the signal's reason as soon as `signal` aborts
 * (and clears the timer), so a loop sleeping between polls stops at once.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
