import { createRequire } from 'node:module';
import { pino, type Logger, type LoggerOptions as PinoOptions, type DestinationStream } from 'pino';
import type pretty from 'pino-pretty';
import { SecretRegistry } from './redact.js';

// pino-pretty (and what it loads) costs ~70 ms at start: loaded only for a terminal.
const loadPretty = (): typeof pretty => createRequire(import.meta.url)('pino-pretty') as typeof pretty;

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** `json`: one JSON object per line (for log shippers); `pretty`: human-readable. */
export type LogFormat = 'pretty' | 'json';

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Human-readable output; defaults to true when stdout is a TTY. */
  pretty?: boolean;
  /** Where to write (default stdout). */
  destination?: DestinationStream;
  /** Known secret values to mask in every line. */
  secrets?: SecretRegistry;
  name?: string;
}

/**
 * A pino logger whose every line passes through the secret registry: object
 * fields under secret keys, keyed URLs, `oauth:` tokens and known secret
 * values never reach the output, whatever a plugin logs.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const secrets = options.secrets ?? new SecretRegistry();
  const usePretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const pinoOptions: PinoOptions = {
    level: options.level ?? 'info',
    base: options.name === undefined ? {} : { name: options.name },
    formatters: {
      log: (object) => secrets.redact(object),
      bindings: (bindings) => secrets.redact(bindings),
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? secrets.redactString(arg) : arg));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
    // Errors anywhere in a log object are described (code, hint, cause chain)
    // and redacted by the log formatter above; pino's own err serializer
    // would drop the cause.
    serializers: { err: (error: unknown) => error, error: (error: unknown) => error },
  };
  if (usePretty) {
    // No colour codes when pretty lines go to a file or a pipe (`--log-format pretty > run.log`).
    const colorize = options.destination !== undefined || process.stdout.isTTY === true;
    return pino(pinoOptions, loadPretty()({ colorize, sync: true, destination: options.destination ?? 1 }));
  }
  // Synchronous stdout: a runtime that exits right after stop() must not lose its last lines.
  return pino(pinoOptions, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
