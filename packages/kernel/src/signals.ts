import type { Logger } from './logger.js';

export interface StopSignalsOptions {
  /** The first SIGINT / SIGTERM (SIGBREAK on Windows; SIGHUP with `hangup`): begin one clean stop. */
  onStop(signal: NodeJS.Signals): void;
  /**
   * A later signal: the user insists. Last words (restore the terminal, log a
   * line) before the process exits with 130 without waiting for the stop.
   */
  onForce?(signal: NodeJS.Signals): void;
  /**
   * Further signals within this many ms of the first count as the same
   * request (default 0: any further signal forces the exit). `npm run` and a
   * process-group kill can deliver one Ctrl-C twice; 1000 absorbs that.
   */
  repeatWindowMs?: number;
  /** Also SIGHUP (the terminal closed), except on Windows. Default false. */
  hangup?: boolean;
  /** Clock for the repeat window (default Date.now). */
  now?: () => number;
  /** How the forced exit happens (default process.exit). */
  exit?: (code: number) => void;
}

/**
 * Ctrl-C and friends mean one clean stop, and a second one a forced exit
 * (130). Install it before anything starts, so a signal at any moment (even
 * while the kernel boots) is handled, never Node's default of dying
 * mid-way. Returns a function that removes the handlers.
 */
export function handleStopSignals(options: StopSignalsOptions): () => void {
  const now = options.now ?? Date.now;
  const windowMs = options.repeatWindowMs ?? 0;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals: NodeJS.Signals[] =
    process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', ...(options.hangup ? (['SIGHUP'] as const) : [])];
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = now();
      options.onStop(signal);
    } else if (now() - firstAt >= windowMs) {
      options.onForce?.(signal);
      exit(130);
    }
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}

/** What Kernel.handleSignals needs of the kernel. */
interface Stoppable {
  readonly logger: Logger;
  stop(): Promise<void>;
}

/** Kernel.handleSignals: a stop signal stops the kernel (then exits unless `exit: false`); rejections are logged. */
export function stopOnSignals(kernel: Stoppable, options: { exit?: boolean; repeatWindowMs?: number }): () => void {
  const exit = options.exit ?? true;
  const { logger } = kernel;
  const offSignals = handleStopSignals({
    repeatWindowMs: options.repeatWindowMs,
    onStop: (signal) => {
      logger.info({ signal }, 'signal received: stopping');
      kernel.stop().then(
        () => {
          if (exit) process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'stop finished with errors');
          if (exit) process.exit(1);
        },
      );
    },
    onForce: (signal) => logger.warn({ signal }, 'second signal: exiting without waiting for stop'),
  });
  const onRejection = (reason: unknown) => logger.error({ err: reason }, 'unhandled promise rejection (kept running)');
  process.on('unhandledRejection', onRejection);
  return () => {
    offSignals();
    process.off('unhandledRejection', onRejection);
  };
}
