/**
 * Message ids already delivered, oldest evicted first, persisted with the
 * chat position so a restart does not deliver them again.
 */
export class SeenIds {
  readonly #capacity: number;
  readonly #set: Set<string>;
  readonly #order: string[];

  constructor(capacity: number, initial: readonly string[] = []) {
    this.#capacity = capacity;
    this.#order = initial.filter((id) => typeof id === 'string').slice(-capacity);
    this.#set = new Set(this.#order);
  }

  /** True when `id` is new. */
  add(id: string): boolean {
    if (this.#set.has(id)) return false;
    this.#set.add(id);
    this.#order.push(id);
    if (this.#order.length > this.#capacity * 1.25) {
      // Trim in batches: one splice per many adds, not a shift per add.
      for (const old of this.#order.splice(0, this.#order.length - this.#capacity)) this.#set.delete(old);
    }
    return true;
  }

  toArray(): string[] {
    return this.#order.slice(-this.#capacity);
  }
}
