import { EventEmitter } from 'node:events';
import type { Leadership } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { CreatorLeases } from './leases.js';

export interface RedisLeadershipOptions {
  /** This process's name (the lease owner). */
  owner: string;
  /** Lease time to live; renewed every ttlMs / 3. */
  ttlMs: number;
  prefix?: string;
  logger?: { warn(obj: object, msg: string): void };
}

/**
 * The kernel's Leadership on Redis leases: one lease per duty
 * (`<prefix>duty:lease:{<duty>}`, with its own fencing counter). Every
 * process asks for the duties it watches; the holder renews every ttl / 3,
 * and when it dies another process gets the duty within the TTL. A holder
 * that cannot renew for 2/3 of the TTL gives the duty up before it may expire.
 */
export class RedisLeadership implements Leadership {
  readonly #leases: CreatorLeases;
  readonly #o: RedisLeadershipOptions;
  readonly #held = new Map<string, { token: number; renewedAt: number }>();
  readonly #events = new EventEmitter<Record<string, [boolean]>>();
  readonly #duties = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(redis: Redis, options: RedisLeadershipOptions) {
    this.#leases = new CreatorLeases(redis, { prefix: `${options.prefix ?? 'streamsuites:'}duty:` });
    this.#o = options;
    this.#events.setMaxListeners(0);
  }

  holds(duty: string): boolean {
    return this.#held.has(duty);
  }

  watch(duty: string, listener: (holds: boolean) => void): () => void {
    this.#events.on(duty, listener);
    if (this.#held.has(duty)) listener(true);
    if (!this.#duties.has(duty)) {
      this.#duties.add(duty);
      this.#start();
      void this.tick();
    }
    return () => void this.#events.off(duty, listener);
  }

  /** The fencing token of a held duty (undefined when not held). */
  token(duty: string): number | undefined {
    return this.#held.get(duty)?.token;
  }

  /** One round: renew what is held, try to take what is not. Rounds never overlap. */
  async tick(): Promise<void> {
    while (this.#round !== undefined) await this.#round;
    if (this.#stopped) return;
    this.#round = this.#roundOnce().finally(() => (this.#round = undefined));
    await this.#round;
  }

  /** Gives every duty up (others take them at once) and stops. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    while (this.#round !== undefined) await this.#round;
    for (const [duty, lease] of [...this.#held]) {
      this.#change(duty, false);
      await this.#leases.release(duty, this.#o.owner, lease.token).catch(() => undefined);
    }
  }

  #start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => void this.tick(), Math.max(1, Math.floor(this.#o.ttlMs / 3)));
    this.#timer.unref();
  }

  async #roundOnce(): Promise<void> {
    for (const duty of this.#duties) {
      try {
        const lease = this.#held.get(duty);
        if (lease !== undefined) {
          if (await this.#leases.renew(duty, this.#o.owner, lease.token, this.#o.ttlMs)) lease.renewedAt = Date.now();
          else this.#change(duty, false);
          continue;
        }
        const got = await this.#leases.acquire(duty, this.#o.owner, this.#o.ttlMs);
        if (got !== undefined) {
          this.#held.set(duty, { token: got.token, renewedAt: Date.now() });
          this.#events.emit(duty, true);
        }
      } catch (error) {
        const lease = this.#held.get(duty);
        if (lease !== undefined && Date.now() - lease.renewedAt >= (this.#o.ttlMs * 2) / 3) this.#change(duty, false);
        this.#o.logger?.warn({ err: error, duty }, 'could not renew or take a duty lease');
      }
    }
  }

  #change(duty: string, holds: boolean): void {
    if (!holds && this.#held.delete(duty)) this.#events.emit(duty, false);
  }
}
