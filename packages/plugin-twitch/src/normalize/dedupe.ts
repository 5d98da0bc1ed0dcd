/**
 * A bounded set of recently seen message ids, evicting the least recently
 * seen. Lives outside any one connection, so it survives reconnects: lines
 * the server re-sends after a reconnect are dropped.
 *
 * An open-addressing hash table (linear probing, FNV-1a over the id's
 * characters) over slots in a fixed-size doubly linked list, all in typed
 * arrays: O(1) add, refresh and eviction with no allocation per message.
 * (A Map from id to slot cost about twice as much per message: every
 * add is a set and, once full, a delete, and the deleted entries make it
 * rehash; an insertion-ordered Set evicting with `values().next()` was
 * slower still, as V8 walks over the deleted entries at the front.)
 */
export class MessageIdLru {
  readonly capacity: number;
  /** Slot → id; slot → hash of the id. */
  readonly #ids: (string | undefined)[];
  readonly #hashes: Int32Array;
  /** Hash table: slot + 1, or 0 for an empty bucket. At most half full. */
  readonly #table: Int32Array;
  readonly #mask: number;
  readonly #prev: Int32Array;
  readonly #next: Int32Array;
  #size = 0;
  /** Most recently seen slot, least recently seen slot; -1 when empty. */
  #head = -1;
  #tail = -1;

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`MessageIdLru capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ids = new Array<string | undefined>(capacity).fill(undefined);
    this.#hashes = new Int32Array(capacity);
    let buckets = 8;
    while (buckets < capacity * 2) buckets *= 2;
    this.#table = new Int32Array(buckets);
    this.#mask = buckets - 1;
    this.#prev = new Int32Array(capacity);
    this.#next = new Int32Array(capacity);
  }

  /** Records `id`; true when it was not seen before (the message should be delivered). */
  add(id: string): boolean {
    const hash = hashOf(id);
    let bucket = hash & this.#mask;
    for (;;) {
      const entry = this.#table[bucket]!;
      if (entry === 0) break;
      const slot = entry - 1;
      if (this.#hashes[slot] === hash && this.#ids[slot] === id) {
        // Refresh: a duplicate keeps the id alive.
        this.#unlink(slot);
        this.#pushHead(slot);
        return false;
      }
      bucket = (bucket + 1) & this.#mask;
    }
    let slot: number;
    if (this.#size < this.capacity) {
      slot = this.#size++;
    } else {
      slot = this.#tail;
      this.#unlink(slot);
      this.#removeFromTable(slot);
      // The removal may have moved entries back into earlier buckets: find the free one for `id` again.
      bucket = hash & this.#mask;
      while (this.#table[bucket] !== 0) bucket = (bucket + 1) & this.#mask;
    }
    this.#ids[slot] = id;
    this.#hashes[slot] = hash;
    this.#table[bucket] = slot + 1;
    this.#pushHead(slot);
    return true;
  }

  has(id: string): boolean {
    return this.#find(id, hashOf(id)) !== -1;
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#ids.fill(undefined);
    this.#table.fill(0);
    this.#size = 0;
    this.#head = this.#tail = -1;
  }

  /** The bucket holding `id`, or -1. */
  #find(id: string, hash: number): number {
    let bucket = hash & this.#mask;
    for (;;) {
      const entry = this.#table[bucket]!;
      if (entry === 0) return -1;
      if (this.#hashes[entry - 1] === hash && this.#ids[entry - 1] === id) return bucket;
      bucket = (bucket + 1) & this.#mask;
    }
  }

  /** Deletes a slot's bucket, moving later entries of the probe run back so no search stops early. */
  #removeFromTable(slot: number): void {
    const mask = this.#mask;
    const table = this.#table;
    let hole = this.#hashes[slot]! & mask;
    while (table[hole] !== slot + 1) hole = (hole + 1) & mask;
    let bucket = hole;
    for (;;) {
      bucket = (bucket + 1) & mask;
      const entry = table[bucket]!;
      if (entry === 0) break;
      const home = this.#hashes[entry - 1]! & mask;
      // Move the entry into the hole unless its home lies cyclically in (hole, bucket].
      const stays = hole <= bucket ? home > hole && home <= bucket : home > hole || home <= bucket;
      if (!stays) {
        table[hole] = entry;
        hole = bucket;
      }
    }
    table[hole] = 0;
    this.#ids[slot] = undefined;
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

/** FNV-1a over the UTF-16 units, 32 bits. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash | 0;
}
