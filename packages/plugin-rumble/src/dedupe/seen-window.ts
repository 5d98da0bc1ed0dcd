import type { StateStore } from '@streamsuites/kernel';

/** State store namespace of the persisted windows (one key per creator). */
export const SEEN_NAMESPACE = 'rumble.seen';

interface Persisted {
  v: 1;
  /** Oldest first. */
  ids: string[];
  /** A first poll was read: what it held was history; from then on every unseen entry is new. */
  primed: boolean;
}

/**
 * The ids of entries already emitted for one creator, oldest first, bounded
 * (a Set keeps insertion order, so eviction is the first key). Persisted to
 * the state store after each poll that changed it, so a restart continues
 * exactly where the last run stopped.
 */
export class SeenWindow {
  readonly #ids = new Set<string>();
  #primed = false;
  readonly #max: number;
  #dirty = false;

  constructor(max: number) {
    this.#max = max;
  }

  static async load(store: StateStore, creatorId: string, max: number): Promise<SeenWindow> {
    const window = new SeenWindow(max);
    const saved = await store.get<Persisted>(SEEN_NAMESPACE, creatorId);
    if (saved?.v === 1 && Array.isArray(saved.ids)) {
      for (const id of saved.ids.slice(-max)) if (typeof id === 'string') window.#ids.add(id);
      window.#primed = saved.primed === true;
    }
    return window;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Records an id; false when it was already there. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    this.#dirty = true;
    if (this.#ids.size > this.#max) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }

  /**
   * False until the creator's first poll was read. That poll's entries are
   * history (sent before the runtime ever watched this channel) and are
   * recorded without being emitted; from then on, across restarts, every
   * unseen entry is new.
   */
  get primed(): boolean {
    return this.#primed;
  }

  markPrimed(): void {
    if (this.#primed) return;
    this.#primed = true;
    this.#dirty = true;
  }

  async save(store: StateStore, creatorId: string): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    const value: Persisted = { v: 1, ids: [...this.#ids], primed: this.#primed };
    await store.set(SEEN_NAMESPACE, creatorId, value);
  }
}
