import type { StateStore } from '@streamsuites/kernel';

/** State store namespace of the delivered Kick-Event-Message-Ids (key: id, value: when first accepted, ms). */
export const SEEN_NAMESPACE = 'kick.webhook-seen';

/**
 * The webhook message ids accepted in the last `windowMs`, persisted so a
 * redelivery after a restart is still ignored. `claim` is synchronous
 * against memory (two concurrent deliveries of one id: one wins), then
 * persisted before the event is emitted.
 */
export class SeenMessageIds {
  readonly #seen = new Map<string, number>();
  #claims = 0;

  constructor(
    private readonly store: StateStore,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Loads what earlier runs accepted, dropping what is older than the window. */
  async load(): Promise<void> {
    const cutoff = this.now() - this.windowMs;
    for (const [id, at] of await this.store.entries<number>(SEEN_NAMESPACE)) {
      if (typeof at === 'number' && at >= cutoff) this.#seen.set(id, at);
      else await this.store.delete(SEEN_NAMESPACE, id);
    }
  }

  has(id: string): boolean {
    const at = this.#seen.get(id);
    return at !== undefined && at >= this.now() - this.windowMs;
  }

  /** False when `id` was already claimed inside the window; else remembers it (memory now, store before resolving). */
  async claim(id: string): Promise<boolean> {
    if (this.has(id)) return false;
    const now = this.now();
    this.#seen.set(id, now);
    await this.store.set(SEEN_NAMESPACE, id, now);
    if (++this.#claims % 500 === 0) await this.prune();
    return true;
  }

  async prune(): Promise<void> {
    const cutoff = this.now() - this.windowMs;
    for (const [id, at] of [...this.#seen]) {
      if (at >= cutoff) continue;
      this.#seen.delete(id);
      await this.store.delete(SEEN_NAMESPACE, id);
    }
  }
}
