/**
 * A bounded set of recently seen message ids, evicting the least recently
 * seen. Lives outside any one connection, so it survives reconnects: lines
 * the server re-sends after a reconnect are dropped.
 */
export class MessageIdLru {
  readonly capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`MessageIdLru capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Records `id`; true when it was not seen before (the message should be delivered). */
  add(id: string): boolean {
    const ids = this.#ids;
    if (ids.has(id)) {
      // Refresh: a duplicate keeps the id alive.
      ids.delete(id);
      ids.add(id);
      return false;
    }
    ids.add(id);
    if (ids.size > this.capacity) ids.delete(ids.values().next().value as string);
    return true;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  get size(): number {
    return this.#ids.size;
  }

  clear(): void {
    this.#ids.clear();
  }
}
