import type { ActionJournal, ActionJournalContext } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';

/*
 * Which actions ran, shared by every process: a chat message redelivered to
 * a new owner (its first owner died before acknowledging it) skips the
 * actions its first run finished. One key per action that ran:
 *
 *   <prefix>action-done:{<creatorId>}:<actionId>   PX ttlMs
 *
 * The key is written right after the action's effect and before the message
 * is acknowledged (one connection, so Redis sees them in that order): a
 * message still pending has every finished action recorded, except one whose
 * process died between the effect and this write — a window of one command
 * on an open connection, where the action may repeat.
 */

export interface RedisActionJournalOptions {
  redis: Redis;
  prefix?: string;
  /** How long an action is remembered (default one hour): longer than an entry stays pending while any process runs. */
  ttlMs?: number;
}

/** The kernel's ActionJournal on Redis (see the key layout above). */
export class RedisActionJournal implements ActionJournal {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  /** Actions that were already recorded as done when their message came again (skipped). */
  skipped = 0;

  constructor(options: RedisActionJournalOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'streamsuites:';
    this.#ttlMs = options.ttlMs ?? 3_600_000;
  }

  async done(actionId: string, ctx: ActionJournalContext): Promise<boolean> {
    let found: number;
    try {
      found = await this.#redis.exists(this.key(actionId, ctx));
    } catch (error) {
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('reading the action journal', (error as Error).message, { cause: error });
    }
    if (found === 1) this.skipped++;
    return found === 1;
  }

  async record(actionId: string, ctx: ActionJournalContext): Promise<void> {
    try {
      await this.#redis.set(this.key(actionId, ctx), '1', 'PX', this.#ttlMs);
    } catch (error) {
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('recording an action in the journal', (error as Error).message, { cause: error });
    }
  }

  key(actionId: string, ctx: ActionJournalContext): string {
    return `${this.#prefix}action-done:{${ctx.creatorId}}:${actionId}`;
  }
}
