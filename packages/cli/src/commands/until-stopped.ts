import type { Kernel } from '@streamsuites/kernel';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';

/** `--duration`: a positive number of seconds, or undefined when not given. */
export function parseDurationSec(command: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new SS_ERR_CLI_USAGE(`${command}: --duration must be a positive number of seconds, got "${text}"`);
  }
  return seconds;
}

/**
 * Starts a created kernel and runs it until SIGINT / SIGTERM (or
 * `durationSec`), then stops it cleanly: 0 when it stopped cleanly, 1 when
 * it failed to start or to stop (the error printed).
 */
export async function runUntilStopped(kernel: Kernel, io: CliIO, durationSec: number | undefined, afterStart?: () => void): Promise<number> {
  const stopped = kernel.bus.waitFor('kernel.stopped');
  // The runtime runs until a signal stops it, even if no plugin holds a socket open.
  const keepAlive = setInterval(() => {}, 1 << 30);
  void stopped.finally(() => clearInterval(keepAlive));
  // A repeat within a second is the same Ctrl-C (npm run and process-group kills deliver it twice).
  const removeHandlers = kernel.handleSignals({ exit: false, repeatWindowMs: 1000 });
  const k = kernel;
  const timer = durationSec === undefined ? undefined : setTimeout(() => void k.stop().catch(() => undefined), durationSec * 1000);
  try {
    await kernel.start();
  } catch (error) {
    clearTimeout(timer);
    removeHandlers();
    printError(io, error);
    return 1;
  }
  afterStart?.();
  await stopped;
  clearTimeout(timer);
  removeHandlers();
  return kernel.stop().then(
    () => 0,
    (error: unknown) => {
      printError(io, error);
      return 1;
    },
  );
}
