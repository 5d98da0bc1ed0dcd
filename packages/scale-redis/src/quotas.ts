import {
  isStreamSuitesError,
  systemClock,
  type Clock,
  type EventBus,
  type Logger,
  type QuotaChargeOptions,
  type QuotaDefault,
  type QuotaExceededEvent,
  type QuotaPolicy,
  type QuotaPolicyInput,
  type QuotaRegistry,
  type QuotaSnapshot,
  type QuotaStatus,
  type QuotaTracker,
} from '@streamsuites/kernel';
import {
  localDay,
  nextLocalMidnight,
  resolveQuotaPolicy,
  SS_ERR_QUOTA_BUFFER_RESERVED,
  SS_ERR_QUOTA_EXHAUSTED,
  SS_ERR_QUOTA_POLICY_MISSING,
  SS_ERR_QUOTA_UNITS_INVALID,
} from '@streamsuites/defaults';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';

/*
 * Daily quotas shared by every process on one Redis: the usage of a creator +
 * platform for one quota day is a hash
 *
 *   <prefix>quota:<creatorId>:<platform>:<YYYY-MM-DD>   { used, warned? }
 *
 * (ids URI-encoded, so `a:b` + `c` and `a` + `b:c` never share a key). The
 * day is the local date in the policy's time zone, computed here from the
 * kernel clock exactly as the default tracker does, so a new day is simply a
 * new key and a time zone change that keeps the local date keeps the usage.
 * A charge is one Lua script (check cap and buffer, increment, expire), so
 * charges from any number of processes are serialized by Redis and can never
 * pass `daily` together.
 */

/** How long a day's usage key outlives the day's end (clock skew between processes, late snapshots). */
export const QUOTA_KEY_GRACE_MS = 3_600_000;

// KEYS[1] usage hash. ARGV: units, daily, buffer, essential (1|0), ttl ms.
// Returns {0, used} hard cap, {1, used} buffer reserved, {2, used, warn} charged
// (warn = 1 for the one charge per day that first leaves the `ok` status).
const CHARGE = `
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local units = tonumber(ARGV[1])
local daily = tonumber(ARGV[2])
local buffer = tonumber(ARGV[3])
if used + units > daily then return {0, used} end
if ARGV[4] ~= '1' and used + units > daily - buffer then return {1, used} end
used = redis.call('HINCRBY', KEYS[1], 'used', units)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local warn = 0
if used >= daily or (buffer > 0 and used >= daily - buffer) then
  warn = redis.call('HSETNX', KEYS[1], 'warned', '1')
end
return {2, used, warn}`;

type ChargeReply = [outcome: 0 | 1, used: number] | [outcome: 2, used: number, warn: 0 | 1];

type QuotaCommands = {
  ssQuotaCharge(key: string, units: number, daily: number, buffer: number, essential: 0 | 1, ttlMs: number): Promise<ChargeReply>;
};

function commands(redis: Redis): Redis & QuotaCommands {
  const client = redis as Redis & Partial<QuotaCommands>;
  if (client.ssQuotaCharge === undefined) redis.defineCommand('ssQuotaCharge', { numberOfKeys: 1, lua: CHARGE });
  return client as Redis & QuotaCommands;
}

export interface RedisQuotaRegistryOptions {
  /** An ioredis client owned by the caller (it is never closed here). */
  redis: Redis;
  /** Key prefix (default `streamsuites:`); processes that share quotas must share it. */
  prefix?: string;
  /** Decides the quota day (default the system clock); pass the kernel clock. */
  clock?: Clock;
  /** Where `quota.warning` and `quota.exceeded` go (the kernel bus); events are dropped without one. */
  bus?: Pick<EventBus, 'emit'>;
  /** Platform defaults, as contributed through quotaDefaultsExtensionPoint. */
  defaults?: readonly QuotaDefault[];
  /** Redis failures are logged here at warn (ids and the failing operation, no data). */
  logger?: Pick<Logger, 'warn'>;
}

interface Period {
  day: string;
  timeZone: string;
  resetsAt: number;
  /** When the period was computed: it holds for every instant in [computedAt, resetsAt). */
  computedAt: number;
}

interface TrackerDeps {
  redis: Redis & QuotaCommands;
  prefix: string;
  clock: Clock;
  bus: Pick<EventBus, 'emit'> | undefined;
  logger: Pick<Logger, 'warn'> | undefined;
  track<T>(work: Promise<T>): Promise<T>;
}

/**
 * The usage key of a creator + platform for one quota day. The ids are
 * URI-encoded so no two pairs can share a key.
 */
export function quotaUsageKey(prefix: string, creatorId: string, platform: string, day: string): string {
  return `${prefix}quota:${encodeURIComponent(creatorId)}:${encodeURIComponent(platform)}:${day}`;
}

/** One creator + platform's daily units, counted in Redis (the same count in every process). */
export class RedisQuotaTracker implements QuotaTracker {
  readonly creatorId: string;
  readonly platform: string;
  #policy: QuotaPolicy;
  readonly #deps: TrackerDeps;
  #period: Period | undefined;

  constructor(creatorId: string, platform: string, policy: QuotaPolicy, deps: TrackerDeps) {
    this.creatorId = creatorId;
    this.platform = platform;
    this.#policy = policy;
    this.#deps = deps;
  }

  get policy(): QuotaPolicy {
    return { ...this.#policy };
  }

  /** Replaces the policy; today's usage is kept (it lives under the day's key). */
  setPolicy(policy: QuotaPolicy): void {
    this.#policy = policy;
  }

  charge(units: number, options: QuotaChargeOptions = {}): Promise<void> {
    return this.#deps.track(this.#charge(units, options));
  }

  async canSpend(units: number, options: QuotaChargeOptions = {}): Promise<boolean> {
    this.#checkUnits(units);
    const policy = this.#policy;
    const used = await this.#used(this.#currentPeriod(), 'quota canSpend');
    return refusal(used, units, options, policy) === undefined;
  }

  async snapshot(): Promise<QuotaSnapshot> {
    const policy = this.#policy;
    const period = this.#currentPeriod();
    return this.#snapshotOf(await this.#used(period, 'quota snapshot'), policy, period);
  }

  async #charge(units: number, options: QuotaChargeOptions): Promise<void> {
    this.#checkUnits(units);
    // The policy and the day are read once, so the whole charge uses one of each.
    const policy = this.#policy;
    const period = this.#currentPeriod();
    const key = quotaUsageKey(this.#deps.prefix, this.creatorId, this.platform, period.day);
    const ttlMs = Math.max(1, period.resetsAt - this.#deps.clock.now() + QUOTA_KEY_GRACE_MS);
    let reply: ChargeReply;
    try {
      reply = await this.#deps.redis.ssQuotaCharge(key, units, policy.daily, policy.buffer, options.essential === true ? 1 : 0, ttlMs);
    } catch (error) {
      throw this.#unavailable('quota charge', error);
    }
    const used = Number(reply[1]);
    if (reply[0] !== 2) {
      const snapshot = this.#snapshotOf(used, policy, period);
      const event: QuotaExceededEvent = {
        ...snapshot,
        requested: units,
        essential: options.essential === true,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      };
      this.#deps.bus?.emit('quota.exceeded', event);
      const details = { creatorId: this.creatorId, platform: this.platform, used, daily: policy.daily, buffer: policy.buffer, requested: units, essential: options.essential === true, resetsAt: period.resetsAt };
      throw reply[0] === 0
        ? new SS_ERR_QUOTA_EXHAUSTED(this.creatorId, this.platform, used, policy.daily, period.resetsAt, { details })
        : new SS_ERR_QUOTA_BUFFER_RESERVED(this.creatorId, this.platform, used, policy.daily, policy.buffer, { details });
    }
    // Redis (HSETNX) picks the one charge per day, across all processes, that reports the warning.
    if (Number(reply[2]) === 1) this.#deps.bus?.emit('quota.warning', this.#snapshotOf(used, policy, period));
  }

  #checkUnits(units: number): void {
    if (typeof units !== 'number' || !Number.isSafeInteger(units) || units < 0) {
      throw new SS_ERR_QUOTA_UNITS_INVALID(this.creatorId, this.platform, units, {
        details: { creatorId: this.creatorId, platform: this.platform, units: String(units) },
      });
    }
  }

  /** The quota day at the clock's now, in the policy's time zone (cached until it ends). */
  #currentPeriod(): Period {
    const now = this.#deps.clock.now();
    const { timeZone } = this.#policy;
    const cached = this.#period;
    if (cached !== undefined && cached.timeZone === timeZone && now >= cached.computedAt && now < cached.resetsAt) return cached;
    this.#period = { day: localDay(now, timeZone), timeZone, resetsAt: nextLocalMidnight(now, timeZone), computedAt: now };
    return this.#period;
  }

  async #used(period: Period, operation: string): Promise<number> {
    try {
      const value = await this.#deps.redis.hget(quotaUsageKey(this.#deps.prefix, this.creatorId, this.platform, period.day), 'used');
      return value === null ? 0 : Number(value);
    } catch (error) {
      throw this.#unavailable(operation, error);
    }
  }

  #snapshotOf(used: number, policy: QuotaPolicy, period: Period): QuotaSnapshot {
    return {
      creatorId: this.creatorId,
      platform: this.platform,
      daily: policy.daily,
      buffer: policy.buffer,
      used,
      remaining: Math.max(0, policy.daily - used),
      status: status(used, policy),
      day: period.day,
      timeZone: policy.timeZone,
      resetsAt: period.resetsAt,
    };
  }

  #unavailable(operation: string, error: unknown) {
    if (isStreamSuitesError(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    this.#deps.logger?.warn({ creatorId: this.creatorId, platform: this.platform, operation, reason }, 'Redis quota operation failed');
    return new SS_ERR_SCALE_REDIS_UNAVAILABLE(operation, reason, { cause: error, details: { operation, creatorId: this.creatorId, platform: this.platform } });
  }
}

function status(used: number, policy: QuotaPolicy): QuotaStatus {
  if (used >= policy.daily) return 'exhausted';
  return policy.buffer > 0 && used >= policy.daily - policy.buffer ? 'buffer' : 'ok';
}

function refusal(used: number, units: number, options: QuotaChargeOptions, policy: QuotaPolicy): 'exhausted' | 'buffer' | undefined {
  if (used + units > policy.daily) return 'exhausted';
  if (options.essential !== true && used + units > policy.daily - policy.buffer) return 'buffer';
  return undefined;
}

const pairKey = (creatorId: string, platform: string) => JSON.stringify([creatorId, platform]);
const policyPath = (creatorId: string, platform: string) => `creators.${creatorId}.quotas.${platform}`;
/** Code-unit order: the same on every machine, whatever its locale. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A QuotaRegistry whose usage lives in Redis: every process that shares the
 * Redis and the prefix sees and spends the same daily units. Policies are
 * per process, as in the default (each process applies the same manifest when
 * it starts a creator); the charge script gets the caller's policy.
 */
export class RedisQuotaRegistry implements QuotaRegistry {
  readonly prefix: string;
  readonly #deps: TrackerDeps;
  readonly #platformDefaults: ReadonlyMap<string, QuotaPolicy>;
  readonly #trackers = new Map<string, RedisQuotaTracker>();
  readonly #configured = new Map<string, { creatorId: string; platform: string; policy: QuotaPolicy }>();
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: RedisQuotaRegistryOptions) {
    this.prefix = options.prefix ?? 'streamsuites:';
    this.#platformDefaults = new Map((options.defaults ?? []).map((d) => [d.platform, { ...d.policy }]));
    this.#deps = {
      redis: commands(options.redis),
      prefix: this.prefix,
      clock: options.clock ?? systemClock,
      bus: options.bus,
      logger: options.logger,
      track: (work) => {
        this.#inFlight.add(work);
        const forget = () => void this.#inFlight.delete(work);
        work.then(forget, forget);
        return work;
      },
    };
  }

  tracker(creatorId: string, platform: string, policy?: QuotaPolicyInput): QuotaTracker {
    const key = pairKey(creatorId, platform);
    const existing = this.#trackers.get(key);
    if (existing !== undefined) return existing;
    const resolved = this.#configured.get(key)?.policy ?? this.#defaultPolicy(creatorId, platform, policy);
    const tracker = new RedisQuotaTracker(creatorId, platform, resolved, this.#deps);
    this.#trackers.set(key, tracker);
    return tracker;
  }

  configure(creatorId: string, platform: string, policy: QuotaPolicyInput): void {
    const resolved = resolveQuotaPolicy(policy, policyPath(creatorId, platform), this.#platformDefaults.get(platform));
    const key = pairKey(creatorId, platform);
    this.#configured.set(key, { creatorId, platform, policy: resolved });
    this.#trackers.get(key)?.setPolicy(resolved);
  }

  async snapshot(): Promise<QuotaSnapshot[]> {
    // Configured pairs appear even before a plugin asked for their tracker.
    for (const { creatorId, platform } of this.#configured.values()) this.tracker(creatorId, platform);
    const trackers = [...this.#trackers.values()].sort((a, b) => compare(a.creatorId, b.creatorId) || compare(a.platform, b.platform));
    return Promise.all(trackers.map((t) => t.snapshot()));
  }

  /** Waits for the charges in flight (for a service dispose: they finish before the client closes). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  /** The Redis key holding a pair's usage on a quota day (`YYYY-MM-DD`). */
  usageKey(creatorId: string, platform: string, day: string): string {
    return quotaUsageKey(this.prefix, creatorId, platform, day);
  }

  #defaultPolicy(creatorId: string, platform: string, policy: QuotaPolicyInput | undefined): QuotaPolicy {
    const platformDefault = this.#platformDefaults.get(platform);
    if (policy !== undefined) return resolveQuotaPolicy(policy, policyPath(creatorId, platform), platformDefault);
    if (platformDefault !== undefined) return { ...platformDefault };
    throw new SS_ERR_QUOTA_POLICY_MISSING(creatorId, platform, { details: { creatorId, platform } });
  }
}

/**
 * The distributed quota registry (a drop-in for the default's
 * `quotaRegistryRef` service): usage in Redis, policies and events in this
 * process. See RedisQuotaRegistryOptions.
 */
export function createRedisQuotaRegistry(options: RedisQuotaRegistryOptions): RedisQuotaRegistry {
  return new RedisQuotaRegistry(options);
}
