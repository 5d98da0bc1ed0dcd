import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/**
 * At most `capacity` units (one per message, by default) in any interval of
 * `windowMs`. Enforced as a sliding-window log, not a refilling token bucket:
 * Twitch counts "20 messages per 30 seconds", and a bucket refilled at
 * 20/30 s lets 39 messages through in 30 s after an idle period, which gets
 * the account locked out. The log never lets more than `capacity` through in
 * any window, however the window is aligned.
 */
export interface RateLimitPolicy {
  /** Units allowed per window; a positive integer. */
  capacity: number;
  /** Window length in milliseconds; a positive integer. */
  windowMs: number;
}

export interface RateLimitAcquireOptions {
  /** Units this call takes (default 1): an integer, 1 ≤ cost ≤ capacity. */
  cost?: number;
  /** Aborting removes the waiter and rejects with SS_ERR_ABORTED. */
  signal?: AbortSignal;
}

/** One key's state, for exports. Plain JSON. */
export interface RateLimitSnapshot {
  key: string;
  policy: RateLimitPolicy;
  /** Units granted within the last `windowMs`. */
  used: number;
  /** `capacity - used` (0 when a lowered capacity is still over-used). */
  available: number;
  /** Callers queued in acquire(). */
  waiting: number;
}

export interface RateLimitGovernor {
  /**
   * Sets or replaces the policy of a key (`twitch:send:daniel`,
   * `twitch:join`...). Replacing keeps the history of what was granted, so
   * switching between the user and moderator Twitch presets never bursts.
   * Throws SS_ERR_RATE_LIMIT_POLICY_INVALID.
   */
  configure(key: string, policy: RateLimitPolicy): void;
  /**
   * Takes `cost` units now if the window has room and nobody is queued; never
   * waits. A distributed governor (limits shared by several processes, e.g.
   * @streamsuites/scale-redis) may return false whenever it cannot decide
   * without a round trip, so false means "not taken now", not "no room":
   * callers that must send use acquire() after a false.
   */
  tryTake(key: string, cost?: number): boolean;
  /**
   * Resolves once `cost` units are granted. Strictly FIFO per key: a later
   * call never overtakes an earlier waiter, even a smaller one.
   */
  acquire(key: string, options?: RateLimitAcquireOptions): Promise<void>;
  /** Every configured key, ordered by key. */
  snapshot(): RateLimitSnapshot[];
  /** Rejects every waiter with SS_ERR_RATE_LIMIT_DISPOSED and refuses later calls. */
  dispose(): void;
}

export const rateLimitGovernorRef: ServiceRef<RateLimitGovernor, 'root'> = createServiceRef<RateLimitGovernor>({
  id: 'kernel.ratelimits',
  methods: ['configure', 'tryTake', 'acquire', 'snapshot', 'dispose'],
  scope: 'root',
});
