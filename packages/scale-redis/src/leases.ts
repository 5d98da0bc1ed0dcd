import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_LEASE_INVALID } from './errors.js';

/*
 * Creator leases: each creator is owned by at most one process at a time.
 *
 * Keys (prefix default `streamsuites:`):
 *   <prefix>lease:{<creatorId>}        "<token>|<owner>", with a PX expiry (the lease)
 *   <prefix>lease-fence:{<creatorId>}  INCR counter, never expires: the fencing token
 *   <prefix>processes                ZSET owner -> heartbeat expiry (ms, Redis clock)
 *
 * The {creatorId} hash tag puts both keys of a creator in one Cluster slot,
 * which a script touching both needs. Every change is one Lua script, so check-and-set cannot interleave with
 * another process. Times inside scripts come from Redis (TIME), not from the
 * callers' clocks, which may disagree across machines.
 */

const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. '|' .. ARGV[1], 'PX', ARGV[2])
return token`;
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;
// Heartbeat: record this process until now+ttl, drop expired ones, list the live ones.
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`;
const LEAVE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

type LeaseCommands = {
  ssLeaseAcquire(lease: string, fence: string, owner: string, ttlMs: number): Promise<number | null>;
  ssLeaseRenew(lease: string, value: string, ttlMs: number): Promise<number>;
  ssLeaseRelease(lease: string, value: string): Promise<number>;
  ssProcessHeartbeat(set: string, owner: string, ttlMs: number): Promise<string[]>;
  ssProcessLeave(set: string, owner: string): Promise<number>;
};

/** Registers the scripts once per client: ioredis sends EVALSHA and falls back to EVAL when Redis lacks the script. */
function commands(redis: Redis): Redis & LeaseCommands {
  const client = redis as Redis & Partial<LeaseCommands>;
  if (client.ssLeaseAcquire === undefined) {
    redis.defineCommand('ssLeaseAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('ssLeaseRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('ssLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('ssProcessHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT });
    redis.defineCommand('ssProcessLeave', { numberOfKeys: 1, lua: LEAVE });
  }
  return client as Redis & LeaseCommands;
}

function checkName(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    throw new SS_ERR_SCALE_LEASE_INVALID(what, 'must be a non-empty string of at most 256 characters');
  }
  return value;
}
/** Braces would break the Cluster hash tag around the creator id (kernel creator ids never have them). */
function checkCreatorId(value: unknown): string {
  const id = checkName('creatorId', value);
  if (/[{}]/u.test(id)) throw new SS_ERR_SCALE_LEASE_INVALID('creatorId', 'must not contain "{" or "}"');
  return id;
}
function checkTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 30) {
    throw new SS_ERR_SCALE_LEASE_INVALID('ttlMs', `must be an integer of at least 30, got ${String(ttlMs)}`);
  }
  return ttlMs;
}

export interface CreatorLeasesOptions {
  /** Key prefix (default `streamsuites:`); processes that share creators must share it. */
  prefix?: string;
}

export interface LeaseHolder {
  owner: string;
  token: number;
}

/** Lease operations on one ioredis client; stateless, safe to share. */
export class CreatorLeases {
  readonly prefix: string;
  /** The client these leases run on. */
  readonly redis: Redis;
  readonly #redis: Redis & LeaseCommands;

  constructor(redis: Redis, options: CreatorLeasesOptions = {}) {
    this.redis = redis;
    this.#redis = commands(redis);
    this.prefix = options.prefix ?? 'streamsuites:';
  }

  leaseKey(creatorId: string): string {
    return `${this.prefix}lease:{${creatorId}}`;
  }
  fenceKey(creatorId: string): string {
    return `${this.prefix}lease-fence:{${creatorId}}`;
  }
  get processesKey(): string {
    return `${this.prefix}processes`;
  }

  /** Takes the lease if nobody holds it; the token is larger than every earlier one for this creator. */
  async acquire(creatorId: string, owner: string, ttlMs: number): Promise<{ token: number } | undefined> {
    checkCreatorId(creatorId);
    checkName('owner', owner);
    checkTtl(ttlMs);
    const token = await this.#redis.ssLeaseAcquire(this.leaseKey(creatorId), this.fenceKey(creatorId), owner, ttlMs);
    return token === null ? undefined : { token: Number(token) };
  }

  /** Extends the lease to ttlMs from now, only if it is still held by owner with this token. */
  async renew(creatorId: string, owner: string, token: number, ttlMs: number): Promise<boolean> {
    checkCreatorId(creatorId);
    checkName('owner', owner);
    checkTtl(ttlMs);
    return (await this.#redis.ssLeaseRenew(this.leaseKey(creatorId), `${token}|${owner}`, ttlMs)) === 1;
  }

  /** Frees the lease at once, only if still held by owner with this token; false if it was not. */
  async release(creatorId: string, owner: string, token: number): Promise<boolean> {
    checkCreatorId(creatorId);
    checkName('owner', owner);
    return (await this.#redis.ssLeaseRelease(this.leaseKey(creatorId), `${token}|${owner}`)) === 1;
  }

  /** Who holds the lease now, if anyone. */
  async owner(creatorId: string): Promise<LeaseHolder | undefined> {
    checkCreatorId(creatorId);
    const value = await this.#redis.get(this.leaseKey(creatorId));
    if (value === null) return undefined;
    const bar = value.indexOf('|');
    return { token: Number(value.slice(0, bar)), owner: value.slice(bar + 1) };
  }

  /** Records owner as alive for ttlMs; returns the live processes (sorted). */
  async heartbeat(owner: string, ttlMs: number): Promise<string[]> {
    checkName('owner', owner);
    checkTtl(ttlMs);
    return (await this.#redis.ssProcessHeartbeat(this.processesKey, owner, ttlMs)).sort();
  }

  /** Removes owner from the live processes (on a clean stop). */
  async leave(owner: string): Promise<void> {
    checkName('owner', owner);
    await this.#redis.ssProcessLeave(this.processesKey, owner);
  }
}

/** Rendezvous (highest-random-weight) score: each process prefers a different, stable order of creators. */
function weight(owner: string, creatorId: string): string {
  return createHash('sha1').update(`${owner}\u0000${creatorId}`).digest('hex');
}

/** The fair share rule: with N creators and P live processes, a process holds at most ceil(N / P). */
export function fairShare(creators: number, processes: number): number {
  return Math.ceil(creators / Math.max(1, processes));
}

export interface LeaseKeeperTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

export interface LeaseKeeperOptions extends CreatorLeasesOptions {
  /** This process's id, unique among processes (e.g. `<host>:<pid>:<random>`). */
  owner: string;
  /** Lease and heartbeat time to live; renewals run every ttlMs / 3. */
  ttlMs: number;
  /** The creators to spread over the live processes (setCreators() changes them). */
  creators?: readonly string[];
  /** Injectable timers for tests (default the global ones and Date.now). */
  timers?: LeaseKeeperTimers;
  /**
   * Awaited after `released` is emitted and before the lease is given up in
   * Redis (a rebalance or stop()): stop the creator's work here, so the next
   * owner never runs it at the same time. A failure is reported as `error`;
   * the lease is released anyway.
   */
  beforeRelease?: (creatorId: string) => Promise<void>;
  /** Creators not to hold now (held ones are released on the next round): a standby keeper skips what its process owns. */
  skip?: (creatorId: string) => boolean;
  /**
   * How many creators one process may hold, given the creators and the live
   * processes (default {@link fairShare}). A standby keeper allows more than
   * an even split, so a greedy pick can never leave a creator without one.
   */
  share?: (creators: number, processes: number) => number;
  /** Creators to take first when there is room (a process takes over what it already runs as a standby). */
  prefer?: (creatorId: string) => boolean;
}

export interface LeaseKeeperEvents {
  acquired: [creatorId: string, token: number];
  /** The lease could not be renewed: stop serving this creator now, another process may own it. */
  lost: [creatorId: string];
  /** Given up voluntarily (rebalancing or stop()). */
  released: [creatorId: string];
  /** A round failed (Redis unreachable); leases not renewed for 2/3 of the TTL are reported lost. */
  error: [error: unknown];
}

const defaultTimers: LeaseKeeperTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

/**
 * Holds one process's leases: heartbeats, renews every ttl/3, gives up
 * surplus leases above the fair share and takes free creators up to it,
 * in rendezvous-hash order.
 */
export class LeaseKeeper extends EventEmitter<LeaseKeeperEvents> {
  readonly leases: CreatorLeases;
  readonly owner: string;
  readonly ttlMs: number;
  readonly #held = new Map<string, { token: number; renewedAt: number }>();
  /** Leases being given up (their beforeRelease runs): not renewed, not taken again until released. */
  readonly #releasing = new Map<string, Promise<void>>();
  readonly #timers: LeaseKeeperTimers;
  #creators: readonly string[];
  readonly #beforeRelease: ((creatorId: string) => Promise<void>) | undefined;
  readonly #skip: (creatorId: string) => boolean;
  readonly #share: (creators: number, processes: number) => number;
  readonly #prefer: (creatorId: string) => boolean;
  #interval: unknown;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(redis: Redis, options: LeaseKeeperOptions) {
    super();
    this.leases = new CreatorLeases(redis, options);
    this.owner = checkName('owner', options.owner);
    this.ttlMs = checkTtl(options.ttlMs);
    this.#creators = [...new Set(options.creators ?? [])].map(checkCreatorId);
    this.#timers = options.timers ?? defaultTimers;
    this.#beforeRelease = options.beforeRelease;
    this.#skip = options.skip ?? (() => false);
    this.#share = options.share ?? fairShare;
    this.#prefer = options.prefer ?? (() => false);
  }

  /** The creators this process holds now, with their fencing tokens. */
  held(): Map<string, number> {
    return new Map([...this.#held].map(([id, lease]) => [id, lease.token]));
  }

  setCreators(creators: readonly string[]): void {
    this.#creators = [...new Set(creators)].map(checkCreatorId);
  }

  /** Runs a round now and then every ttlMs / 3. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.tick();
    this.#interval = this.#timers.setInterval(() => {
      // Checked on the timer, not only when a round fails: a round hanging on a dropped link must not keep leases past 2/3 of their TTL.
      this.#giveUpStale();
      void this.tick();
    }, Math.max(1, Math.floor(this.ttlMs / 3)));
  }

  /**
   * One round (rounds never overlap: a call during a round waits for it and
   * runs another). Resolves once the releases it started are done too.
   */
  async tick(): Promise<void> {
    while (this.#round !== undefined) await this.#round;
    if (this.#stopped) return;
    this.#round = this.#roundOnce().finally(() => (this.#round = undefined));
    await this.#round;
    await Promise.all(this.#releasing.values());
  }

  async #roundOnce(): Promise<void> {
    try {
      const live = await this.leases.heartbeat(this.owner, this.ttlMs);
      // Every held lease is renewed at once (one round trip when pipelined), before anything slow: a release
      // waits for its creator to stop, and must not hold the other leases' renewals back until they expire.
      const renewals: Promise<void>[] = [];
      for (const [creatorId, lease] of [...this.#held]) {
        if (!this.#creators.includes(creatorId) || this.#skip(creatorId)) {
          this.#release(creatorId, lease.token);
          continue;
        }
        renewals.push(
          this.leases.renew(creatorId, this.owner, lease.token, this.ttlMs).then((renewed) => {
            if (this.#held.get(creatorId) !== lease) return;
            if (renewed) lease.renewedAt = this.#timers.now();
            else this.#lose(creatorId);
          }),
        );
      }
      await Promise.all(renewals);
      const share = this.#share(this.#creators.length, live.length);
      const rank = (id: string) => (this.#prefer(id) ? 0 : 1);
      const byPreference = [...this.#creators].sort((a, b) => rank(a) - rank(b) || (weight(this.owner, b) < weight(this.owner, a) ? -1 : 1));
      // Surplus: give up the least preferred first, so processes converge on their rendezvous picks.
      for (const creatorId of [...byPreference].reverse()) {
        if (this.#held.size <= share) break;
        const lease = this.#held.get(creatorId);
        if (lease !== undefined) this.#release(creatorId, lease.token);
      }
      for (const creatorId of byPreference) {
        if (this.#held.size >= share || this.#stopped) break;
        if (this.#held.has(creatorId) || this.#releasing.has(creatorId) || this.#skip(creatorId)) continue;
        const got = await this.leases.acquire(creatorId, this.owner, this.ttlMs);
        if (got === undefined) continue;
        this.#held.set(creatorId, { token: got.token, renewedAt: this.#timers.now() });
        this.emit('acquired', creatorId, got.token);
      }
    } catch (error) {
      // Redis unreachable: a lease not renewed for 2/3 of its TTL may expire any moment, so stop using it.
      this.#giveUpStale();
      if (this.listenerCount('error') > 0) this.emit('error', error);
    }
  }

  /** Leases not renewed for 2/3 of the TTL may expire any moment: stop using them. */
  #giveUpStale(): void {
    const now = this.#timers.now();
    for (const [creatorId, lease] of [...this.#held]) if (now - lease.renewedAt >= (this.ttlMs * 2) / 3) this.#lose(creatorId);
  }

  #lose(creatorId: string): void {
    this.#held.delete(creatorId);
    this.emit('lost', creatorId);
  }

  /** Gives a lease up in the background (the rounds go on renewing the others); tracked until released. */
  #release(creatorId: string, token: number): void {
    this.#held.delete(creatorId);
    this.emit('released', creatorId);
    const released = (async () => {
      // Still ours until released: the holder stops its work first, so the next owner never overlaps it.
      if (this.#beforeRelease !== undefined) {
        try {
          await this.#beforeRelease(creatorId);
        } catch (error) {
          if (this.listenerCount('error') > 0) this.emit('error', error);
        }
      }
      await this.leases.release(creatorId, this.owner, token);
    })()
      .catch((error: unknown) => {
        // Not released in Redis: it expires within the TTL.
        if (this.listenerCount('error') > 0) this.emit('error', error);
      })
      .finally(() => this.#releasing.delete(creatorId));
    this.#releasing.set(creatorId, released);
  }

  /** Stops renewing, releases every lease and leaves the live set, so others take over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#interval !== undefined) this.#timers.clearInterval(this.#interval);
    this.#interval = undefined;
    while (this.#round !== undefined) await this.#round;
    for (const [creatorId, lease] of [...this.#held]) this.#release(creatorId, lease.token);
    await Promise.all(this.#releasing.values());
    await this.leases.leave(this.owner);
  }
}
