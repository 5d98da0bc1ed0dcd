import { SS_ERR_ABORTED, type Clock, type EventBus, type RateLimitAcquireOptions, type RateLimitGovernor, type RateLimitPolicy, type RateLimitSnapshot } from '@streamsuites/kernel';
import {
  SS_ERR_RATE_LIMIT_COST_INVALID,
  SS_ERR_RATE_LIMIT_DISPOSED,
  SS_ERR_RATE_LIMIT_POLICY_INVALID,
  SS_ERR_RATE_LIMIT_UNKNOWN_KEY,
} from './errors.js';
import { SlidingWindowLog } from './window.js';

interface Waiter {
  cost: number;
  /** Clock time of the acquire() call, for `ratelimit.waited`. */
  since: number;
  resolve(): void;
  reject(error: unknown): void;
  /** Removes the abort listener. */
  detach(): void;
}

interface Bucket {
  key: string;
  log: SlidingWindowLog;
  /** FIFO: only the head may be granted. */
  queue: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

export interface RateLimitGovernorDeps {
  clock: Clock;
  /** Where queued grants are reported (`ratelimit.waited`, for metrics); optional. */
  bus?: Pick<EventBus, 'emit'>;
}

/**
 * Sliding-window rate limits per key (see SlidingWindowLog for why not a
 * token bucket). Waiters are served strictly in arrival order; one unref'd
 * timer per key wakes the head when enough of the window has passed, so a
 * pending acquire() never keeps the process alive. Time comes from the kernel
 * clock, waiting from setTimeout (so fake timers drive both in tests).
 */
export class SlidingWindowGovernor implements RateLimitGovernor {
  readonly #clock: Clock;
  readonly #bus: Pick<EventBus, 'emit'> | undefined;
  readonly #buckets = new Map<string, Bucket>();
  #disposed = false;

  constructor(deps: RateLimitGovernorDeps) {
    this.#clock = deps.clock;
    this.#bus = deps.bus;
  }

  configure(key: string, policy: RateLimitPolicy): void {
    if (this.#disposed) throw new SS_ERR_RATE_LIMIT_DISPOSED(key);
    checkRateLimitPolicy(key, policy);
    const copy = { capacity: policy.capacity, windowMs: policy.windowMs };
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#buckets.set(key, { key, log: new SlidingWindowLog(copy), queue: [], timer: undefined });
      return;
    }
    bucket.log.setPolicy(copy);
    // A larger capacity may free the head now; a smaller one may strand it.
    this.#drain(bucket);
  }

  tryTake(key: string, cost = 1): boolean {
    const bucket = this.#bucket(key);
    checkCost(bucket, cost);
    // Never overtake a queued acquire().
    if (bucket.queue.length > 0) return false;
    const now = this.#clock.now();
    if (!bucket.log.fits(now, cost)) return false;
    bucket.log.grant(now, cost);
    return true;
  }

  acquire(key: string, options: RateLimitAcquireOptions = {}): Promise<void> {
    const { cost = 1, signal } = options;
    let bucket: Bucket;
    try {
      bucket = this.#bucket(key);
      checkCost(bucket, cost);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted === true) return Promise.reject(aborted(key, signal));
    if (bucket.queue.length === 0 && this.tryTake(key, cost)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = bucket.queue.indexOf(waiter);
        if (index === -1) return;
        bucket.queue.splice(index, 1);
        reject(aborted(key, signal!));
        // The head left: the next waiter may fit now, or needs another wake-up time.
        if (index === 0) this.#drain(bucket);
      };
      const waiter: Waiter = {
        cost,
        since: this.#clock.now(),
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      bucket.queue.push(waiter);
      if (bucket.queue.length === 1) this.#drain(bucket);
    });
  }

  snapshot(): RateLimitSnapshot[] {
    const now = this.#clock.now();
    return [...this.#buckets.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((bucket) => {
        const policy = { ...bucket.log.policy };
        const used = bucket.log.used(now);
        return { key: bucket.key, policy, used, available: Math.max(0, policy.capacity - used), waiting: bucket.queue.length };
      });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const bucket of this.#buckets.values()) {
      if (bucket.timer !== undefined) clearTimeout(bucket.timer);
      bucket.timer = undefined;
      for (const waiter of bucket.queue.splice(0)) {
        waiter.detach();
        waiter.reject(new SS_ERR_RATE_LIMIT_DISPOSED(bucket.key));
      }
    }
  }

  #bucket(key: string): Bucket {
    if (this.#disposed) throw new SS_ERR_RATE_LIMIT_DISPOSED(key);
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) throw new SS_ERR_RATE_LIMIT_UNKNOWN_KEY(key, { details: { key } });
    return bucket;
  }

  /** Grants queued waiters in order while they fit; then sleeps until the head fits. */
  #drain(bucket: Bucket): void {
    if (bucket.timer !== undefined) clearTimeout(bucket.timer);
    bucket.timer = undefined;
    const now = this.#clock.now();
    while (bucket.queue.length > 0) {
      const head = bucket.queue[0]!;
      if (head.cost > bucket.log.policy.capacity) {
        // A lowered capacity can never grant it: fail it rather than block the queue forever.
        bucket.queue.shift();
        head.detach();
        head.reject(costError(bucket, head.cost));
        continue;
      }
      if (!bucket.log.fits(now, head.cost)) break;
      bucket.log.grant(now, head.cost);
      bucket.queue.shift();
      head.detach();
      head.resolve();
      this.#bus?.emit('ratelimit.waited', { key: bucket.key, cost: head.cost, waitedMs: Math.max(0, now - head.since), at: now });
    }
    if (bucket.queue.length === 0) return;
    const at = bucket.log.availableAt(now, bucket.queue[0]!.cost);
    // At least 1 ms, so a clock that does not follow the timers cannot spin.
    bucket.timer = setTimeout(() => this.#drain(bucket), Math.max(1, at - now));
    bucket.timer.unref?.();
  }
}

/** Throws SS_ERR_RATE_LIMIT_POLICY_INVALID listing every problem of a policy (also used by distributed governors). */
export function checkRateLimitPolicy(key: string, policy: RateLimitPolicy): void {
  const problems: string[] = [];
  const positiveInteger = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
  if (typeof policy !== 'object' || policy === null) problems.push('must be an object { capacity, windowMs }');
  else {
    if (!positiveInteger(policy.capacity)) problems.push(`capacity must be an integer ≥ 1 (got ${String(policy.capacity)})`);
    if (!positiveInteger(policy.windowMs)) problems.push(`windowMs must be an integer ≥ 1 (got ${String(policy.windowMs)})`);
  }
  if (problems.length > 0) {
    throw new SS_ERR_RATE_LIMIT_POLICY_INVALID(key, problems.join('; '), { details: { key, problems } });
  }
}

function checkCost(bucket: Bucket, cost: unknown): void {
  if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost < 1 || cost > bucket.log.policy.capacity) {
    throw costError(bucket, cost);
  }
}

function costError(bucket: Bucket, cost: unknown) {
  const { capacity } = bucket.log.policy;
  return new SS_ERR_RATE_LIMIT_COST_INVALID(bucket.key, cost, capacity, { details: { key: bucket.key, cost: String(cost), capacity } });
}

function aborted(key: string, signal: AbortSignal) {
  return new SS_ERR_ABORTED(`Rate-limit acquire("${key}")`, { cause: signal.reason, details: { key } });
}

export function createRateLimitGovernor(deps: RateLimitGovernorDeps): SlidingWindowGovernor {
  return new SlidingWindowGovernor(deps);
}
