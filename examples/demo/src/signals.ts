export interface StopSignalsOptions {
  /** The first SIGINT/SIGTERM (SIGBREAK on Windows, SIGHUP: the terminal closed). */
  onStop(signal: NodeJS.Signals): void;
  /** A later signal, after `repeatWindowMs`: the user insists, do not wait for the clean stop. */
  onForce(signal: NodeJS.Signals): void;
  /**
   * Repeats within this window count as the same request (default 1000 ms):
   * `npm run` and a process-group kill can deliver one Ctrl-C twice.
   */
  repeatWindowMs?: number;
  now?: () => number;
}

/**
 * Installed before anything starts, so Ctrl-C at any moment (even while the
 * kernel boots) means one clean stop, never Node's default of dying mid-way.
 * Returns a function that removes the handlers.
 */
export function handleStopSignals(options: StopSignalsOptions): () => void {
  const now = options.now ?? Date.now;
  const windowMs = options.repeatWindowMs ?? 1000;
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = now();
      options.onStop(signal);
    } else if (now() - firstAt >= windowMs) {
      options.onForce(signal);
    }
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
