import { isStreamSuitesError } from '@streamsuites/kernel';

/** Where the CLI writes; tests pass buffers, the bin passes the process streams. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Standard input, for questions (`init` asks only when it is a terminal). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Set when stderr is a terminal: progress bars redraw one line of this width; absent: plain lines. */
  stderrTTY?: { readonly columns: number };
}

export const processIO = (): CliIO => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  // A getter: process.stdin is only created when a command reads it.
  get stdin() {
    return process.stdin;
  },
  ...(process.stderr.isTTY ? { stderrTTY: { get columns() { return process.stderr.columns ?? 80; } } } : {}),
});

/**
 * Prints an error for a person: code, message, hint. Never a stack trace,
 * unless STREAMSUITES_DEBUG=1 asks for one.
 */
export function printError(io: CliIO, error: unknown): void {
  if (isStreamSuitesError(error)) {
    io.stderr(`error ${error.code}: ${error.message}\n`);
    if (error.hint !== undefined) io.stderr(`  hint: ${error.hint}\n`);
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    if (cause !== undefined && !error.message.includes(cause)) io.stderr(`  cause: ${cause}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: unexpected failure: ${message}\n`);
    io.stderr('  hint: this is a bug in StreamSuites or a plugin; rerun with STREAMSUITES_DEBUG=1 and report it.\n');
  }
  if (io.env.STREAMSUITES_DEBUG === '1' && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
}
