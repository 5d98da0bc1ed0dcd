/** Options of a fake server's `until()`. */
export interface UntilOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Included in the timeout error. */
  message?: string;
}

/**
 * `until()` for the local fake platform servers (Twitch, Discord...):
 * promises that resolve when a predicate holds, checked at once, after every
 * server event (`notify()`) and on a 10 ms poll (for predicates on
 * client-side state), rejected after a deadline — waiting without sleeping.
 */
export class Waiters {
  readonly #checks = new Set<() => void>();

  /** `name` starts the timeout message, e.g. `fake twitch chat`. */
  constructor(private readonly name: string) {}

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
      const poll = setInterval(check, 10);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.#checks.delete(check);
        reject(new Error(`${this.name}: timed out after ${timeoutMs} ms${options.message ? `: ${options.message}` : ''}`));
      }, timeoutMs);
      this.#checks.add(check);
    });
  }
}
