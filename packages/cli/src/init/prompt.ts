import { createInterface } from 'node:readline';
import { SS_ERR_CLI_USAGE } from '../errors.js';

/** Asks one question at a time on a line-based input; `close()` releases the input. */
export interface Questions {
  /**
   * Prints `question [default]: ` and returns the answer parsed by `check`
   * (the default for an empty line); a `check` that throws prints its
   * message and asks again.
   */
  ask<T>(question: string, fallback: string, check: (answer: string) => T): Promise<T>;
  close(): void;
}

/**
 * Questions on `input`, prompts through `write`. Reads whole lines without
 * raw mode: a terminal in its normal mode echoes and edits the line itself,
 * and answers written ahead (a pipe, a test) are buffered, never lost.
 */
export function questions(input: NodeJS.ReadableStream, write: (text: string) => void): Questions {
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question, fallback, check) {
      for (;;) {
        write(`${question}${fallback === '' ? '' : ` [${fallback}]`}: `);
        const next = await lines.next();
        if (next.done === true) throw new SS_ERR_CLI_USAGE('init: the input ended before every question was answered (pass --yes, or the flags, to answer none)');
        const answer = next.value.trim() === '' ? fallback : next.value.trim();
        try {
          return check(answer);
        } catch (error) {
          write(`  ${(error as Error).message}\n`);
        }
      }
    },
    close() {
      rl.close();
    },
  };
}
