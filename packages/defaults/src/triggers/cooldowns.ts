import type { Clock, CooldownBook, CooldownRequest, Logger, StateStore } from '@streamsuites/kernel';

export const COOLDOWN_NAMESPACE = 'kernel.cooldowns';

/**
 * Cooldowns for every creator of the process (global cooldowns span
 * creators, so this is one root service). Checks and reservations are
 * synchronous, so two messages racing for one trigger cannot both fire;
 * reservations are then written to the state store so a restart keeps them.
 */
export class StoredCooldownBook implements CooldownBook {
  readonly #until = new Map<string, number>();
  /** Who reserved a level (the message), while it cools down; in memory only: one process redelivers nothing across a restart. */
  readonly #holders = new Map<string, string>();
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #loaded: Promise<void> | undefined;
  #writesSinceSweep = 0;

  constructor(deps: { store: StateStore; clock: Clock; logger: Logger }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  /** Reads persisted cooldowns (once); expired ones are dropped from the store. */
  load(): Promise<void> {
    return (this.#loaded ??= (async () => {
      const now = this.#clock.now();
      for (const [key, until] of await this.#store.entries<number>(COOLDOWN_NAMESPACE)) {
        if (typeof until === 'number' && until > now) this.#until.set(key, Math.max(until, this.#until.get(key) ?? 0));
        else await this.#store.delete(COOLDOWN_NAMESPACE, key);
      }
    })());
  }

  /** The contract's reserve: checked and reserved synchronously, then persisted together. */
  async reserve(requests: readonly CooldownRequest[]): Promise<boolean[]> {
    const granted: boolean[] = [];
    const toPersist: [string, number][] = [];
    for (const request of requests) {
      const reserved = this.tryReserve(request);
      granted.push(reserved !== undefined);
      if (reserved !== undefined) toPersist.push(...reserved);
    }
    if (toPersist.length > 0) await this.persist(toPersist);
    return granted;
  }

  /**
   * If no level of the request is cooling down, reserves all of them and
   * returns the keys to persist; otherwise returns undefined.
   */
  tryReserve(request: CooldownRequest): [key: string, until: number][] | undefined {
    const now = this.#clock.now();
    const levels: [string, number | undefined][] = [
      [`user\u0000${request.creatorId}\u0000${request.triggerId}\u0000${request.userKey}`, request.userMs],
      [`creator\u0000${request.creatorId}\u0000${request.triggerId}`, request.creatorMs],
      [`global\u0000${request.triggerId}`, request.globalMs],
    ];
    const active = levels.filter((level): level is [string, number] => level[1] !== undefined && level[1] > 0);
    if (active.length === 0) return [];
    const coolingForOther = (key: string) => (this.#until.get(key) ?? 0) > now && (request.holder === undefined || this.#holders.get(key) !== request.holder);
    if (active.some(([key]) => coolingForOther(key))) return undefined;
    // The same message asking again (a redelivery) passes its own reservations without extending them.
    const reserved = active.filter(([key]) => (this.#until.get(key) ?? 0) <= now).map(([key, ms]): [string, number] => [key, now + ms]);
    for (const [key, until] of reserved) {
      this.#until.set(key, until);
      if (request.holder === undefined) this.#holders.delete(key);
      else this.#holders.set(key, request.holder);
    }
    this.#writesSinceSweep += reserved.length;
    if (this.#writesSinceSweep > 1000) this.#sweep(now);
    return reserved;
  }

  /** Writes reservations through to the store; a failed write is logged, the in-memory cooldown still holds. */
  async persist(reserved: readonly [string, number][]): Promise<void> {
    try {
      await Promise.all(reserved.map(([key, until]) => this.#store.set(COOLDOWN_NAMESPACE, key, until)));
    } catch (error) {
      this.#logger.error({ err: error }, 'could not persist trigger cooldowns (they still apply until restart)');
    }
  }

  /** Milliseconds left on a level, for tests and status (0 when free). */
  remaining(key: string): number {
    return Math.max(0, (this.#until.get(key) ?? 0) - this.#clock.now());
  }

  get size(): number {
    return this.#until.size;
  }

  /** Bounds memory: per-user entries accumulate in a busy chat. */
  #sweep(now: number): void {
    this.#writesSinceSweep = 0;
    const expired: string[] = [];
    for (const [key, until] of this.#until) if (until <= now) expired.push(key);
    for (const key of expired) {
      this.#until.delete(key);
      this.#holders.delete(key);
    }
    void Promise.all(expired.map((key) => this.#store.delete(COOLDOWN_NAMESPACE, key))).catch((error: unknown) =>
      this.#logger.warn({ err: error }, 'could not delete expired cooldowns'),
    );
  }
}
