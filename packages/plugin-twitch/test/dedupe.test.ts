import { describe, expect, it } from 'vitest';
import { MessageIdLru } from '../src/normalize/dedupe.js';

/** The plainest LRU: a Map in recency order (refresh = delete + set; evict the first key). */
class ReferenceLru {
  readonly #map = new Map<string, true>();
  constructor(readonly capacity: number) {}
  add(id: string): boolean {
    if (this.#map.delete(id)) {
      this.#map.set(id, true);
      return false;
    }
    if (this.#map.size >= this.capacity) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(id, true);
    return true;
  }
  has(id: string): boolean {
    return this.#map.has(id);
  }
}

describe('MessageIdLru', () => {
  it('agrees with a reference LRU on 200,000 random adds (small capacities: crowded buckets, constant eviction)', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let added = 0;
    for (const capacity of [1, 2, 3, 7, 64, 1000]) {
      for (const alphabet of [4, 40, 4000]) {
        const lru = new MessageIdLru(capacity);
        const reference = new ReferenceLru(capacity);
        for (let n = 0; n < 200_000 / 18; n++) {
          const id = `m${Math.floor(rand() * alphabet)}`;
          expect(lru.add(id)).toBe(reference.add(id));
          const probe = `m${Math.floor(rand() * alphabet)}`;
          expect(lru.has(probe)).toBe(reference.has(probe));
          added++;
        }
        expect(lru.size).toBeLessThanOrEqual(capacity);
      }
    }
    expect(added).toBeGreaterThan(190_000);
  });

  it('clear() forgets everything', () => {
    const lru = new MessageIdLru(4);
    lru.add('a');
    lru.add('b');
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.has('a')).toBe(false);
    expect(lru.add('a')).toBe(true);
  });
});
