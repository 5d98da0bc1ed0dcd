/** `until()`: promises that resolve when a predicate holds, checked on every server event and on a short poll. */
import type { UntilOptions } from './types.js';

export class Waiters {
  readonly #checks = new Set<() => void>();

  /** Re-checks every pending predicate (after a server event). */
  notify(): void {
    for (const check of [...this.#checks]) check();
  }

  until(predicate: () => boolean, options: UntilOptions = {}): Promise<void> {
    if (predicate()) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        clearInterval(poll);
        this.#checks.delete(check);
        resolve();
      };
      // Server events re-check at once; the poll covers predicates on client-side state.
      const poll = setInterval(check, 10);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.#checks.delete(check);
        reject(new Error(`fake discord: timed out after ${timeoutMs} ms${options.message ? `: ${options.message}` : ''}`));
      }, timeoutMs);
      this.#checks.add(check);
    });
  }
}
