/** Waits `ms` (kernel time); rejects when `signal` aborts. Tests and simulations pass a virtual one. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A real timer, cleared when `signal` aborts. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
