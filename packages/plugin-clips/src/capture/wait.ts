/** A promise for the next value a subscription delivers, with an optional timeout and abort signal. */
import type { CaptureWaitOptions } from './options.js';

/**
 * `subscribe` gets `done` and returns its unsubscribe; the subscription ends
 * on the first value, the timeout (rejected with `timeoutError()`), or an abort.
 */
export function waitFor<T>(options: CaptureWaitOptions, subscribe: (done: (value: T) => void) => () => void, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      cleanup();
      reject(options.signal?.reason ?? new Error('aborted'));
    };
    const unsubscribe = subscribe((value) => {
      cleanup();
      resolve(value);
    });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        cleanup();
        reject(timeoutError());
      }, options.timeoutMs);
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
