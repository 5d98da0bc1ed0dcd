import type { RateLimitPolicy } from '@streamsuites/kernel';

interface Grant {
  at: number;
  cost: number;
}

/**
 * A sliding-window log: the grants of the last `windowMs`, oldest first.
 *
 * A grant made at `at` counts while `now - at <= windowMs`, both ends
 * included, and frees its units at `at + windowMs + 1`. So any closed
 * interval of `windowMs` (the strictest way a server may count) holds at
 * most `capacity` units: when the last grant of such an interval was made,
 * every earlier one in it was still counted. A refilling token bucket cannot
 * promise that (it allows up to twice the capacity in one window).
 */
export class SlidingWindowLog {
  #policy: RateLimitPolicy;
  /** How long grants are kept: the longest window ever configured, so a longer new window still sees them. */
  #retainMs: number;
  readonly #grants: Grant[] = [];

  constructor(policy: RateLimitPolicy) {
    this.#policy = policy;
    this.#retainMs = policy.windowMs;
  }

  get policy(): RateLimitPolicy {
    return this.#policy;
  }

  /** Replaces the policy; past grants keep counting under the new one. */
  setPolicy(policy: RateLimitPolicy): void {
    this.#policy = policy;
    this.#retainMs = Math.max(this.#retainMs, policy.windowMs);
  }

  /** Units granted within the window ending at `now`. */
  used(now: number): number {
    this.#prune(now);
    const from = now - this.#policy.windowMs;
    let used = 0;
    for (let i = this.#grants.length - 1; i >= 0 && this.#grants[i]!.at >= from; i--) used += this.#grants[i]!.cost;
    return used;
  }

  fits(now: number, cost: number): boolean {
    return this.used(now) + cost <= this.#policy.capacity;
  }

  grant(now: number, cost: number): void {
    this.#grants.push({ at: now, cost });
  }

  /** The first instant at which `cost` units fit, assuming no other grant (`now` when they fit already). */
  availableAt(now: number, cost: number): number {
    const { capacity, windowMs } = this.#policy;
    let excess = this.used(now) + cost - capacity;
    if (excess <= 0) return now;
    const from = now - windowMs;
    for (const grant of this.#grants) {
      if (grant.at < from) continue;
      excess -= grant.cost;
      if (excess <= 0) return grant.at + windowMs + 1;
    }
    // Unreachable while cost <= capacity: freeing every grant makes room.
    return now + windowMs + 1;
  }

  #prune(now: number): void {
    const keepFrom = now - this.#retainMs;
    let drop = 0;
    while (drop < this.#grants.length && this.#grants[drop]!.at < keepFrom) drop++;
    if (drop > 0) this.#grants.splice(0, drop);
  }
}
