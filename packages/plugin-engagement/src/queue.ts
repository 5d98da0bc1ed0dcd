/**
 * Runs async tasks one at a time, in the order they were queued. A failing
 * task rejects its own promise only; the next task still runs.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.#pending += 1;
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => void (this.#pending -= 1),
      () => void (this.#pending -= 1),
    );
    return result;
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.#pending;
  }

  /** Resolves once every task queued so far has finished (whatever its outcome). */
  settled(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
