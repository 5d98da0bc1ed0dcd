/**
 * A bounded set of recently seen message ids, evicting the least recently
 * seen. Lives outside any one connection, so it survives reconnects: lines
 * the server re-sends after a reconnect are dropped.
 *
 * A Map from id to a slot in a fixed-size doubly linked list kept in typed
 * arrays: O(1) add, refresh and eviction with no allocation per message.
 * (A plain insertion-ordered Set evicting with `values().next()` was 4x
 * slower: V8 walks over the deleted entries at the front on every call.)
 */
export class MessageIdLru {
  readonly capacity: number;
  readonly #slots = new Map<string, number>();
  readonly #ids: string[];
  readonly #prev: Int32Array;
  readonly #next: Int32Array;
  /** Most recently seen slot, least recently seen slot; -1 when empty. */
  #head = -1;
  #tail = -1;

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`MessageIdLru capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ids = [];
    this.#prev = new Int32Array(capacity);
    this.#next = new Int32Array(capacity);
  }

  /** Records `id`; true when it was not seen before (the message should be delivered). */
  add(id: string): boolean {
    const existing = this.#slots.get(id);
    if (existing !== undefined) {
      // Refresh: a duplicate keeps the id alive.
      this.#unlink(existing);
      this.#pushHead(existing);
      return false;
    }
    let slot: number;
    if (this.#slots.size < this.capacity) {
      slot = this.#slots.size;
    } else {
      slot = this.#tail;
      this.#unlink(slot);
      this.#slots.delete(this.#ids[slot]!);
    }
    this.#ids[slot] = id;
    this.#slots.set(id, slot);
    this.#pushHead(slot);
    return true;
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  get size(): number {
    return this.#slots.size;
  }

  clear(): void {
    this.#slots.clear();
    this.#ids.length = 0;
    this.#head = this.#tail = -1;
  }

  #unlink(slot: number): void {
    const prev = this.#prev[slot]!;
    const next = this.#next[slot]!;
    if (prev === -1) this.#head = next;
    else this.#next[prev] = next;
    if (next === -1) this.#tail = prev;
    else this.#prev[next] = prev;
  }

  #pushHead(slot: number): void {
    this.#prev[slot] = -1;
    this.#next[slot] = this.#head;
    if (this.#head !== -1) this.#prev[this.#head] = slot;
    this.#head = slot;
    if (this.#tail === -1) this.#tail = slot;
  }
}
