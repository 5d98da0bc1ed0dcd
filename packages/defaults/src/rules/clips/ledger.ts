import type { Clock, Logger, StateStore } from '@streamsuites/kernel';

/** Where clip cooldowns and the last hour's clips are kept. */
export const CLIP_LEDGER_NAMESPACE = 'rules.clips';

const HOUR_MS = 3_600_000;

/**
 * The clip limits' memory: cooldowns (until when) and each creator's clips
 * of the last 60 minutes, on the kernel clock. Checks and reservations are
 * synchronous (the guard runs on the action path and two requests must not
 * both take the last clip of the hour); every change is written behind to
 * the state store, in order, so a restart cannot clip past a limit.
 */
export class ClipLedger {
  readonly #until = new Map<string, number>();
  readonly #clips = new Map<string, number[]>();
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #writes: Promise<void> = Promise.resolve();
  #loaded: Promise<void> | undefined;
  #startsSinceSweep = 0;

  constructor(deps: { store: StateStore; clock: Clock; logger: Logger }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  /** Reads what a previous run left (once); what has expired is dropped. */
  load(): Promise<void> {
    return (this.#loaded ??= (async () => {
      const now = this.#clock.now();
      for (const [key, value] of await this.#store.entries<unknown>(CLIP_LEDGER_NAMESPACE)) {
        if (key.startsWith('cooldown\u0000') && typeof value === 'number' && value > now) this.#until.set(key.slice(9), value);
        else if (key.startsWith('hour\u0000') && Array.isArray(value)) this.#clips.set(key.slice(5), value.filter((at): at is number => typeof at === 'number' && at > now - HOUR_MS));
        else await this.#store.delete(CLIP_LEDGER_NAMESPACE, key); // expired (or not ours): not loaded again
      }
    })());
  }

  /** Milliseconds left on a cooldown (0 when free). */
  cooldownLeft(key: string): number {
    return Math.max(0, (this.#until.get(key) ?? 0) - this.#clock.now());
  }

  /** Starts a cooldown; returns the undo (for an action that did not run). */
  startCooldown(key: string, ms: number): () => void {
    const previous = this.#until.get(key);
    const until = this.#clock.now() + ms;
    if (++this.#startsSinceSweep > 1000) this.#sweep();
    this.#until.set(key, until);
    this.#write(`cooldown\u0000${key}`, until);
    return () => {
      if (this.#until.get(key) !== until) return;
      if (previous === undefined) this.#until.delete(key);
      else this.#until.set(key, previous);
      this.#write(`cooldown\u0000${key}`, previous);
    };
  }

  /** Clips of the creator in the last 60 minutes. */
  clipsInLastHour(creatorId: string): number {
    return this.#recent(creatorId).length;
  }

  /** Milliseconds until the oldest clip of the hour leaves it. */
  nextFreeIn(creatorId: string): number {
    const oldest = this.#recent(creatorId)[0];
    return oldest === undefined ? 0 : Math.max(0, oldest + HOUR_MS - this.#clock.now());
  }

  /** Counts a clip now; returns the undo. */
  countClip(creatorId: string): () => void {
    const at = this.#clock.now();
    const list = [...this.#recent(creatorId), at];
    this.#clips.set(creatorId, list);
    this.#write(`hour\u0000${creatorId}`, list);
    return () => {
      const current = this.#clips.get(creatorId) ?? [];
      const index = current.lastIndexOf(at);
      if (index < 0) return;
      const next = [...current.slice(0, index), ...current.slice(index + 1)];
      this.#clips.set(creatorId, next);
      this.#write(`hour\u0000${creatorId}`, next);
    };
  }

  /** Bounds memory and the store: a busy chat leaves a per-person cooldown behind for every clipper. */
  #sweep(): void {
    this.#startsSinceSweep = 0;
    const now = this.#clock.now();
    for (const [key, until] of this.#until) {
      if (until > now) continue;
      this.#until.delete(key);
      this.#write(`cooldown\u0000${key}`, undefined);
    }
  }

  /** Resolves once every change so far is in the store. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #recent(creatorId: string): number[] {
    const since = this.#clock.now() - HOUR_MS;
    const list = this.#clips.get(creatorId) ?? [];
    if (list.length === 0 || list[0]! > since) return list;
    const kept = list.filter((at) => at > since);
    this.#clips.set(creatorId, kept);
    return kept;
  }

  /** Writes behind, in order; a failed write is logged and the limit still holds in memory. */
  #write(key: string, value: unknown): void {
    this.#writes = this.#writes
      .then(() => (value === undefined ? this.#store.delete(CLIP_LEDGER_NAMESPACE, key).then(() => undefined) : this.#store.set(CLIP_LEDGER_NAMESPACE, key, value)))
      .catch((error: unknown) => this.#logger.error({ err: error }, 'could not persist clip limits (they still apply until restart)'));
  }
}
