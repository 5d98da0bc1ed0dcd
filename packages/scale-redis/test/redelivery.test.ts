import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisActionJournal, RedisCooldownBook } from '../src/index.js';
import type { LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, useLocalRedis } from './helpers.js';

/*
 * What lets a redelivered chat message (its first owner died before
 * acknowledging it) run once overall: the action journal and cooldown holders.
 */

let server: LocalRedis;
let redis: Redis;
useLocalRedis((s, r) => {
  server = s;
  redis = r;
});

describe('RedisActionJournal', () => {
  it('remembers the actions that ran, per creator, for its TTL, and counts the skips', async () => {
    const prefix = uniquePrefix();
    const journal = new RedisActionJournal({ redis, prefix, ttlMs: 60_000 });
    const other = new RedisActionJournal({ redis, prefix });
    expect(await other.done('twitch:m1:seen:0', { creatorId: 'alice' })).toBe(false);
    await journal.record('twitch:m1:seen:0', { creatorId: 'alice' });
    // Another process of the deployment sees it; another creator's action of the same id is its own.
    expect(await other.done('twitch:m1:seen:0', { creatorId: 'alice' })).toBe(true);
    expect(await other.done('twitch:m1:seen:0', { creatorId: 'bob' })).toBe(false);
    expect(await other.done('twitch:m1:seen:1', { creatorId: 'alice' })).toBe(false);
    expect(other.skipped).toBe(1);
    const key = journal.key('twitch:m1:seen:0', { creatorId: 'alice' });
    expect(key).toBe(`${prefix}action-done:{alice}:twitch:m1:seen:0`);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('a Redis that is gone is a coded error (the dispatcher then runs the action and logs it)', async () => {
    const gone = connect(server.url);
    gone.disconnect();
    const journal = new RedisActionJournal({ redis: gone });
    await expect(journal.done('x', { creatorId: 'alice' })).rejects.toMatchObject({ code: 'SS_ERR_SCALE_REDIS_UNAVAILABLE' });
    await expect(journal.record('x', { creatorId: 'alice' })).rejects.toMatchObject({ code: 'SS_ERR_SCALE_REDIS_UNAVAILABLE' });
  });
});

describe('RedisCooldownBook holders', () => {
  const request = { triggerId: 'clip', creatorId: 'alice', userKey: 'twitch:u1', userMs: 30_000, globalMs: 60_000 };

  it('lets the message that reserved a cooldown through again without extending it; every other message waits', async () => {
    const prefix = uniquePrefix();
    const book = new RedisCooldownBook({ redis, prefix });
    const elsewhere = new RedisCooldownBook({ redis, prefix });
    expect(await book.reserve([{ ...request, holder: 'twitch:m1' }])).toEqual([true]);
    const before = await book.remaining('global', request);
    // The same message, redelivered to another process: passes. Another message, or one without a holder: refused.
    expect(await elsewhere.reserve([{ ...request, holder: 'twitch:m1' }, { ...request, holder: 'twitch:m2' }, request])).toEqual([true, false, false]);
    expect(await book.remaining('global', request)).toBeLessThanOrEqual(before);
    expect(await redis.get(`${prefix}cooldown:{clip}:g`)).toBe('twitch:m1');
  });

  it('a holder passes only levels it holds: one held by another message refuses it, free ones are reserved for it', async () => {
    const prefix = uniquePrefix();
    const book = new RedisCooldownBook({ redis, prefix });
    // m1 holds bob's user level only; alice's and the global are free.
    expect(await book.reserve([{ triggerId: 'clip', creatorId: 'bob', userKey: 'twitch:u1', userMs: 30_000, holder: 'twitch:m1' }])).toEqual([true]);
    expect(await book.reserve([{ ...request, holder: 'twitch:m1' }])).toEqual([true]);
    expect(await redis.get(`${prefix}cooldown:{clip}:u:alice:twitch:u1`)).toBe('twitch:m1');
    // m2 meets m1's global level.
    expect(await book.reserve([{ ...request, userKey: 'twitch:u2', holder: 'twitch:m2' }])).toEqual([false]);
    expect(await redis.exists(`${prefix}cooldown:{clip}:u:alice:twitch:u2`)).toBe(0);
  });
});
