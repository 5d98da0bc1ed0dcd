import { randomBytes } from 'node:crypto';
import {
  isStreamSuitesError,
  SS_ERR_ABORTED,
  systemClock,
  type Clock,
  type EventBus,
  type Logger,
  type RateLimitAcquireOptions,
  type RateLimitGovernor,
  type RateLimitPolicy,
  type RateLimitSnapshot,
} from '@streamsuites/kernel';
import { checkRateLimitPolicy, SS_ERR_RATE_LIMIT_COST_INVALID, SS_ERR_RATE_LIMIT_DISPOSED, SS_ERR_RATE_LIMIT_UNKNOWN_KEY } from '@streamsuites/defaults';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';
import { RATELIMIT_CONFIGURE, RATELIMIT_TAKE, type TakeReply } from './ratelimit-scripts.js';

/*
 * Rate limits shared by every process on one Redis: the same sliding-window
 * log as the default governor (see its window.ts for why not a token bucket),
 * kept in a sorted set per key and changed only by Lua scripts that read the
 * time from Redis (TIME), so processes whose clocks disagree still count one
 * window. Keys (the hash tag keeps both in one Redis Cluster slot):
 *
 *   <prefix>{ratelimit:<key>}:log     ZSET "<cost>:<grant id>" -> grant time (ms, Redis clock)
 *   <prefix>{ratelimit:<key>}:policy  HASH capacity, windowMs, retainMs (longest window ever set)
 *
 * Within a process, acquire() is strictly FIFO per key: only the head of the
 * local queue calls the script; when it says "no room", the head sleeps (one
 * unref'd timer) for exactly the time the script computed, then asks again.
 * Across processes there is no queue: whichever asks first after room frees
 * up gets it, and the script never lets more than `capacity` through.
 */

type RateLimitCommands = {
  ssRateLimitTake(log: string, policy: string, cost: number, member: string, mode: 'local' | 'none', capacity: number, windowMs: number): Promise<TakeReply>;
  ssRateLimitConfigure(policy: string, log: string, capacity: number, windowMs: number): Promise<number>;
};

function commands(redis: Redis): Redis & RateLimitCommands {
  const client = redis as Redis & Partial<RateLimitCommands>;
  if (client.ssRateLimitTake === undefined) {
    redis.defineCommand('ssRateLimitTake', { numberOfKeys: 2, lua: RATELIMIT_TAKE });
    redis.defineCommand('ssRateLimitConfigure', { numberOfKeys: 2, lua: RATELIMIT_CONFIGURE });
  }
  return client as Redis & RateLimitCommands;
}

export interface RedisRateLimitGovernorOptions {
  /** An ioredis client owned by the caller (never closed here; dispose() leaves it open). */
  redis: Redis;
  /** Key prefix (default `streamsuites:`); processes that share limits must share it. */
  prefix?: string;
  /** For `ratelimit.waited` timings only (default the system clock); windows use Redis TIME. */
  clock?: Clock;
  /** Where `ratelimit.waited` goes (the kernel bus); optional. */
  bus?: Pick<EventBus, 'emit'>;
  /** Redis failures are logged here at warn (key and operation, no data). */
  logger?: Pick<Logger, 'warn'>;
}

interface Waiter {
  cost: number;
  /** Clock time of the acquire() call, for `ratelimit.waited`. */
  since: number;
  /** Queued behind someone, or told to wait at least once: its grant is reported as a wait. */
  waited: boolean;
  resolve(): void;
  reject(error: unknown): void;
  /** Removes the abort listener. */
  detach(): void;
}

interface Bucket {
  key: string;
  /** The last policy known here: configured in this process, or read back from a script reply. */
  policy: RateLimitPolicy | undefined;
  /** Units in the window at the last script reply (what snapshot() reports). */
  used: number;
  queue: Waiter[];
  timer: NodeJS.Timeout | undefined;
  /** A take script is running for the head. */
  inFlight: boolean;
  /** configure() ran while a take was in flight: ask again at once instead of sleeping. */
  recheck: boolean;
  /** configure() ran in this process: its policy governs this process's takes. */
  configured: boolean;
}

/**
 * A RateLimitGovernor on Redis, for runtimes of several processes. Semantics
 * follow the contract, with two differences a round trip forces:
 * - tryTake() always returns false (after the same checks as the default:
 *   unknown key, invalid cost): whether the shared window has room cannot be
 *   known synchronously. Callers fall back to acquire().
 * - snapshot() reports, per key, the usage seen by this process's last script
 *   reply, so it lags by at most one call (and does not see other processes'
 *   grants made since).
 * configure() applies to every process (the policy is stored in Redis; last
 * write wins) and keeps the history, like the default's. acquire() on a key
 * configured only by another process works too (the policy is read from
 * Redis); a key configured nowhere rejects with SS_ERR_RATE_LIMIT_UNKNOWN_KEY.
 */
export class RedisRateLimitGovernor implements RateLimitGovernor {
  readonly prefix: string;
  readonly #redis: Redis & RateLimitCommands;
  readonly #clock: Clock;
  readonly #bus: Pick<EventBus, 'emit'> | undefined;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  readonly #buckets = new Map<string, Bucket>();
  /** Grant ids are unique across processes: this governor's random id plus a counter. */
  readonly #id = randomBytes(6).toString('base64url');
  #seq = 0;
  #disposed = false;

  constructor(options: RedisRateLimitGovernorOptions) {
    this.prefix = options.prefix ?? 'streamsuites:';
    this.#redis = commands(options.redis);
    this.#clock = options.clock ?? systemClock;
    this.#bus = options.bus;
    this.#logger = options.logger;
  }

  /** The sorted set holding a key's grants. */
  logKey(key: string): string {
    return `${this.prefix}{ratelimit:${key}}:log`;
  }
  /** The hash holding a key's policy. */
  policyKey(key: string): string {
    return `${this.prefix}{ratelimit:${key}}:policy`;
  }

  configure(key: string, policy: RateLimitPolicy): void {
    if (this.#disposed) throw new SS_ERR_RATE_LIMIT_DISPOSED(key);
    checkRateLimitPolicy(key, policy);
    const copy = { capacity: policy.capacity, windowMs: policy.windowMs };
    const bucket = this.#bucketOf(key);
    bucket.policy = copy;
    bucket.configured = true;
    // Stored for processes that never configure the key; a failure here is harmless to this process,
    // whose takes carry the policy (and store it when Redis has none).
    this.#redis
      .ssRateLimitConfigure(this.policyKey(key), this.logKey(key), copy.capacity, copy.windowMs)
      .catch((error: unknown) => this.#logFailure('ratelimit configure', key, error));
    // A larger capacity may free the head now; a smaller one may fail it.
    if (bucket.inFlight) bucket.recheck = true;
    else this.#pump(bucket);
  }

  tryTake(key: string, cost = 1): boolean {
    if (this.#disposed) throw new SS_ERR_RATE_LIMIT_DISPOSED(key);
    const bucket = this.#buckets.get(key);
    if (bucket?.policy === undefined) throw new SS_ERR_RATE_LIMIT_UNKNOWN_KEY(key, { details: { key } });
    checkCost(key, cost, bucket.policy.capacity);
    // The shared window cannot be read without a round trip: never take synchronously.
    return false;
  }

  acquire(key: string, options: RateLimitAcquireOptions = {}): Promise<void> {
    const { cost = 1, signal } = options;
    if (this.#disposed) return Promise.reject(new SS_ERR_RATE_LIMIT_DISPOSED(key));
    const known = this.#buckets.get(key)?.policy;
    try {
      // Without a local policy the script checks cost against the stored capacity.
      checkCost(key, cost, known?.capacity ?? Number.MAX_SAFE_INTEGER);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted === true) return Promise.reject(aborted(key, signal));
    const bucket = this.#bucketOf(key);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = bucket.queue.indexOf(waiter);
        if (index === -1) return;
        bucket.queue.splice(index, 1);
        reject(aborted(key, signal!));
        // The head left: the next waiter may fit now (a take in flight re-pumps when it answers).
        if (index === 0) this.#pump(bucket);
        else this.#forgetIfIdle(bucket);
      };
      const waiter: Waiter = {
        cost,
        since: this.#clock.now(),
        waited: bucket.queue.length > 0,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      bucket.queue.push(waiter);
      if (bucket.queue.length === 1) this.#pump(bucket);
    });
  }

  snapshot(): RateLimitSnapshot[] {
    return [...this.#buckets.values()]
      .filter((bucket): bucket is Bucket & { policy: RateLimitPolicy } => bucket.policy !== undefined)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((bucket) => ({
        key: bucket.key,
        policy: { ...bucket.policy },
        used: bucket.used,
        available: Math.max(0, bucket.policy.capacity - bucket.used),
        waiting: bucket.queue.length,
      }));
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

  #bucketOf(key: string): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { key, policy: undefined, used: 0, queue: [], timer: undefined, inFlight: false, recheck: false, configured: false };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** A key nobody configured here and nobody waits on is not remembered (a typo must not linger). */
  #forgetIfIdle(bucket: Bucket): void {
    if (bucket.policy === undefined && bucket.queue.length === 0 && !bucket.inFlight) this.#buckets.delete(bucket.key);
  }

  /** Asks Redis to grant the head of the queue, unless a call for it is already running. */
  #pump(bucket: Bucket): void {
    if (this.#disposed || bucket.inFlight) return;
    if (bucket.timer !== undefined) clearTimeout(bucket.timer);
    bucket.timer = undefined;
    const head = bucket.queue[0];
    if (head === undefined) {
      this.#forgetIfIdle(bucket);
      return;
    }
    bucket.inFlight = true;
    bucket.recheck = false;
    const { policy } = bucket;
    // 'local': configured here, so our policy governs our takes (history shared); 'none': follow the stored one.
    const mode = policy === undefined || !bucket.configured ? 'none' : 'local';
    const member = `${head.cost}:${this.#id}:${++this.#seq}`;
    this.#redis
      .ssRateLimitTake(this.logKey(bucket.key), this.policyKey(bucket.key), head.cost, member, mode, policy?.capacity ?? 0, policy?.windowMs ?? 0)
      .then(
        (reply) => {
          bucket.inFlight = false;
          if (this.#disposed) return;
          this.#answer(bucket, head, reply);
        },
        (error: unknown) => {
          bucket.inFlight = false;
          if (this.#disposed) return;
          this.#fail(bucket, error);
        },
      );
  }

  #answer(bucket: Bucket, head: Waiter, reply: TakeReply): void {
    const status = Number(reply[0]);
    const stillHead = bucket.queue[0] === head;
    if (status === -1) {
      // No policy in Redis and none here: nobody configured this key.
      if (stillHead) settle(bucket, head, new SS_ERR_RATE_LIMIT_UNKNOWN_KEY(bucket.key, { details: { key: bucket.key } }));
      this.#pump(bucket);
      return;
    }
    const capacity = Number(reply[1]);
    const windowMs = Number(reply[2]);
    bucket.used = Number(reply[3]);
    // Not configured here: follow the policy the deployment stored (another process may change it).
    if (!bucket.configured) bucket.policy = { capacity, windowMs };
    if (status === 1) {
      // Granted. If the waiter was aborted meanwhile its units stay spent: over-counting is safe.
      if (stillHead) {
        settle(bucket, head);
        if (head.waited) {
          const now = this.#clock.now();
          this.#bus?.emit('ratelimit.waited', { key: bucket.key, cost: head.cost, waitedMs: Math.max(0, now - head.since), at: now });
        }
      }
      this.#pump(bucket);
      return;
    }
    if (status === -2) {
      // A lowered capacity can never grant it: fail it rather than block the queue forever.
      if (stillHead) settle(bucket, head, costError(bucket.key, head.cost, capacity));
      this.#pump(bucket);
      return;
    }
    // No room yet: sleep until the script says there will be (at least 1 ms, never a busy loop).
    head.waited = true;
    if (!stillHead || bucket.recheck) {
      this.#pump(bucket);
      return;
    }
    bucket.timer = setTimeout(() => {
      bucket.timer = undefined;
      this.#pump(bucket);
    }, Math.max(1, Number(reply[4])));
    bucket.timer.unref?.();
  }

  /** Redis failed: every waiter of the key is refused (they would all wait on the same dead server). */
  #fail(bucket: Bucket, error: unknown): void {
    this.#logFailure('ratelimit acquire', bucket.key, error);
    const reason = error instanceof Error ? error.message : String(error);
    for (const waiter of bucket.queue.splice(0)) {
      waiter.detach();
      waiter.reject(
        isStreamSuitesError(error)
          ? error
          : new SS_ERR_SCALE_REDIS_UNAVAILABLE('ratelimit acquire', reason, { cause: error, details: { operation: 'ratelimit acquire', key: bucket.key } }),
      );
    }
    this.#forgetIfIdle(bucket);
  }

  #logFailure(operation: string, key: string, error: unknown): void {
    this.#logger?.warn({ key, operation, reason: error instanceof Error ? error.message : String(error) }, 'Redis rate-limit operation failed');
  }
}

/** Removes the head and resolves it, or rejects it with `error`. */
function settle(bucket: Bucket, head: Waiter, error?: unknown): void {
  bucket.queue.shift();
  head.detach();
  if (error === undefined) head.resolve();
  else head.reject(error);
}

function checkCost(key: string, cost: unknown, capacity: number): void {
  if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost < 1 || cost > capacity) throw costError(key, cost, capacity);
}

function costError(key: string, cost: unknown, capacity: number) {
  return new SS_ERR_RATE_LIMIT_COST_INVALID(key, cost, capacity, { details: { key, cost: String(cost), capacity } });
}

function aborted(key: string, signal: AbortSignal) {
  return new SS_ERR_ABORTED(`Rate-limit acquire("${key}")`, { cause: signal.reason, details: { key } });
}

/**
 * The distributed rate-limit governor (a drop-in for the default's
 * `rateLimitGovernorRef` service). See RedisRateLimitGovernorOptions and the
 * class notes for what differs from the in-process default.
 */
export function createRedisRateLimitGovernor(options: RedisRateLimitGovernorOptions): RedisRateLimitGovernor {
  return new RedisRateLimitGovernor(options);
}
