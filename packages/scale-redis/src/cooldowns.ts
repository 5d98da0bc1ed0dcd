import type { CooldownBook, CooldownRequest } from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_REDIS_UNAVAILABLE } from './errors.js';

/*
 * Trigger cooldowns shared by every process on one Redis: a level is a key
 * that exists while it cools down (PX expiry), so nothing has to sweep them.
 *
 *   <prefix>cooldown:{<triggerId>}:g                     global (every creator)
 *   <prefix>cooldown:{<triggerId>}:c:<creatorId>         per creator
 *   <prefix>cooldown:{<triggerId>}:u:<creatorId>:<user>  per user
 *
 * The {triggerId} hash tag keeps one request's keys in one Cluster slot. A
 * level's value is the message that reserved it (its holder), so that message
 * redelivered to another process passes the cooldown it set itself.
 */
// ARGV: one TTL per key, then the holder ('' for none). A level held by the holder itself passes and is left as it is.
const RESERVE = `
local holder = ARGV[#KEYS + 1]
local free = {}
for i = 1, #KEYS do
  local current = redis.call('GET', KEYS[i])
  if not current then
    free[#free + 1] = i
  elseif holder == '' or current ~= holder then
    return 0
  end
end
for _, i in ipairs(free) do
  redis.call('SET', KEYS[i], holder == '' and '1' or holder, 'PX', ARGV[i])
end
return 1`;

type CooldownCommands = { ssCooldownReserve(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number> };

export interface RedisCooldownBookOptions {
  redis: Redis;
  /** Key prefix (default `streamsuites:`), the same in every process of a deployment. */
  prefix?: string;
}

/**
 * The kernel's CooldownBook on Redis: a global cooldown holds across every
 * process sharing the Redis, and a restart or a creator moving to another
 * process keeps every level. Expiry is Redis's clock, not the callers'.
 */
export class RedisCooldownBook implements CooldownBook {
  readonly #redis: Redis & CooldownCommands;
  readonly #prefix: string;

  constructor(options: RedisCooldownBookOptions) {
    const client = options.redis as Redis & Partial<CooldownCommands>;
    if (client.ssCooldownReserve === undefined) options.redis.defineCommand('ssCooldownReserve', { lua: RESERVE });
    this.#redis = client as Redis & CooldownCommands;
    this.#prefix = options.prefix ?? 'streamsuites:';
  }

  /** Nothing to load: the cooldowns live in Redis. */
  async load(): Promise<void> {}

  /** One script per request, sent together (one round trip); Redis runs them in order. */
  async reserve(requests: readonly CooldownRequest[]): Promise<boolean[]> {
    if (requests.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const request of requests) {
      const [keys, ttls] = this.#levels(request);
      if (keys.length === 0) continue;
      (pipeline as unknown as CooldownCommands).ssCooldownReserve(keys.length, ...keys, ...ttls, request.holder ?? '');
    }
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('a cooldown reservation', (error as Error).message, { cause: error });
    }
    let next = 0;
    return requests.map((request) => {
      if (this.#levels(request)[0].length === 0) return true;
      const [error, reply] = replies?.[next++] ?? [new Error('no reply'), undefined];
      if (error !== null) throw new SS_ERR_SCALE_REDIS_UNAVAILABLE('a cooldown reservation', error.message, { cause: error });
      return reply === 1;
    });
  }

  /** Milliseconds left on one level of a request (0 when free), for tests and status. */
  async remaining(level: 'user' | 'creator' | 'global', request: Pick<CooldownRequest, 'triggerId' | 'creatorId' | 'userKey'>): Promise<number> {
    const ms = await this.#redis.pttl(this.#key(level, request));
    return Math.max(0, ms);
  }

  #levels(request: CooldownRequest): [keys: string[], ttls: number[]] {
    const keys: string[] = [];
    const ttls: number[] = [];
    const add = (level: 'user' | 'creator' | 'global', ms: number | undefined) => {
      if (ms === undefined || !(ms > 0)) return;
      keys.push(this.#key(level, request));
      ttls.push(Math.ceil(ms));
    };
    add('user', request.userMs);
    add('creator', request.creatorMs);
    add('global', request.globalMs);
    return [keys, ttls];
  }

  #key(level: 'user' | 'creator' | 'global', request: Pick<CooldownRequest, 'triggerId' | 'creatorId' | 'userKey'>): string {
    const base = `${this.#prefix}cooldown:{${request.triggerId}}`;
    if (level === 'global') return `${base}:g`;
    if (level === 'creator') return `${base}:c:${request.creatorId}`;
    return `${base}:u:${request.creatorId}:${request.userKey}`;
  }
}
