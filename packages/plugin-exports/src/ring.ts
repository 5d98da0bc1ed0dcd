/** The last `capacity` items pushed, oldest first on read: the chat window and the event timeline. */
export class Ring<T> {
  readonly capacity: number;
  readonly #items: T[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Adds `item`; returns the item it pushed out, if the ring was full. A ring of capacity 0 keeps nothing. */
  push(item: T): T | undefined {
    if (this.capacity === 0) return undefined;
    let evicted: T | undefined;
    if (this.#items.length < this.capacity) this.#items.push(item);
    else {
      evicted = this.#items[this.#next];
      this.#items[this.#next] = item;
    }
    this.#next = (this.#next + 1) % this.capacity;
    return evicted;
  }

  /** The `i`-th newest item (0: the newest), or undefined. */
  newest(i: number): T | undefined {
    const n = this.#items.length;
    return i < 0 || i >= n ? undefined : this.#items[(this.#next - 1 - i + 2 * n) % n];
  }

  /** Every item, oldest first. */
  toArray(): T[] {
    const items = this.#items;
    return items.length < this.capacity ? [...items] : [...items.slice(this.#next), ...items.slice(0, this.#next)];
  }
}
