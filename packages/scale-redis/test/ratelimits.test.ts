import { EventBus, ManualClock } from '@streamsuites/kernel';
import { BusRecorder, freeLocalPort } from '@streamsuites/kernel/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimitGovernor, type RedisRateLimitGovernor, type RedisRateLimitGovernorOptions } from '../src/ratelimits.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until } from './helpers.js';

let server: LocalRedis;
const clients: Redis[] = [];
const governors: RedisRateLimitGovernor[] = [];
beforeAll(async () => {
  server = await startLocalRedis();
});
afterEach(() => {
  for (const governor of governors.splice(0)) governor.dispose();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

/** One "process": its own connection, bus and recorder; governors sharing a prefix share limits. */
function processOn(prefix: string, options: Partial<RedisRateLimitGovernorOptions> = {}) {
  const redis = connect(server.url);
  clients.push(redis);
  const bus = new EventBus();
  const events = new BusRecorder(bus);
  const governor = createRedisRateLimitGovernor({ redis, prefix, bus, ...options });
  governors.push(governor);
  return { governor, events, redis };
}

/** Records when (ms after the call) a promise settled, and how. */
function track(promise: Promise<void>) {
  const started = Date.now();
  const state: { settledAfter?: number; error?: { code?: string; details?: unknown } } = {};
  promise.then(
    () => void (state.settledAfter = Date.now() - started),
    (error: { code?: string }) => {
      state.settledAfter = Date.now() - started;
      state.error = error;
    },
  );
  return state;
}

/** The most grants any closed interval of `windowMs` holds (scores are grant times on the Redis clock). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! > windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('one window across processes', () => {
  it('3 processes acquiring 20 each on {capacity 20, windowMs 1000}: all are granted, never more than 20 in any 1000 ms (Redis clock)', async () => {
    const prefix = uniquePrefix();
    const key = 'twitch:send:bot';
    const processes = [0, 1, 2].map(() => processOn(prefix));
    // Only so the log keeps every grant for the check below: grants are kept for the longest
    // window ever configured (60 s here), while the policy in force is the one set after it.
    processes[0]!.governor.configure(key, { capacity: 10_000, windowMs: 60_000 });
    await processes[0]!.redis.ping();
    for (const p of processes) p.governor.configure(key, { capacity: 20, windowMs: 1000 });
    await Promise.all(processes.map((p) => p.redis.ping())); // each configure is stored

    const grants = processes.flatMap((p) => Array.from({ length: 20 }, () => p.governor.acquire(key)));
    await Promise.all(grants);

    const log = await processes[0]!.redis.zrange(processes[0]!.governor.logKey(key), 0, -1, 'WITHSCORES');
    const times = log.filter((_, i) => i % 2 === 1).map(Number);
    expect(times).toHaveLength(60);
    expect(busiestWindow(times, 1000)).toBe(20);
    // 60 grants at 20 per window take three windows: the last is more than 2 windows after the first.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(2000);
    // Waits were reported on each process's own bus.
    expect(processes.flatMap((p) => p.events.of('ratelimit.waited')).length).toBeGreaterThanOrEqual(40);
  }, 10_000);

  it('configure() from one process applies to all, keeps the history, and a key configured nowhere is SS_ERR_RATE_LIMIT_UNKNOWN_KEY', async () => {
    const prefix = uniquePrefix();
    const a = processOn(prefix).governor;
    const b = processOn(prefix).governor;
    a.configure('k', { capacity: 2, windowMs: 60_000 });
    await a.acquire('k');
    await a.acquire('k');
    // The bot became moderator: a larger capacity, same window; the 2 sent still count.
    a.configure('k', { capacity: 5, windowMs: 60_000 });
    await b.acquire('k', { cost: 3 }); // b never configured k: it reads the policy from Redis
    expect(b.snapshot()).toEqual([{ key: 'k', policy: { capacity: 5, windowMs: 60_000 }, used: 5, available: 0, waiting: 0 }]);

    const controller = new AbortController();
    const blocked = track(b.acquire('k', { signal: controller.signal }));
    await until(() => b.snapshot()[0]!.waiting === 1, 2000, 'b to queue');
    controller.abort();
    await until(() => blocked.error !== undefined, 2000, 'the abort to reject');
    expect(blocked.error).toMatchObject({ code: 'SS_ERR_ABORTED' });

    await expect(b.acquire('nobody-configured-this')).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_UNKNOWN_KEY', details: { key: 'nobody-configured-this' } });
    expect(b.snapshot().map((s) => s.key)).toEqual(['k']);
  });
});

describe('within a process', () => {
  it('serves waiters strictly FIFO: a later small request never overtakes an earlier large one; only waits are reported', async () => {
    const { governor, events } = processOn(uniquePrefix());
    governor.configure('k', { capacity: 3, windowMs: 300 });
    await governor.acquire('k', { cost: 3 });
    const order: string[] = [];
    const big = governor.acquire('k', { cost: 3 }).then(() => void order.push('big'));
    const small = governor.acquire('k', { cost: 1 }).then(() => void order.push('small'));
    expect(governor.snapshot()[0]!.waiting).toBe(2);
    await Promise.all([big, small]);
    expect(order).toEqual(['big', 'small']);
    expect(events.of('ratelimit.waited').map((e) => [e.key, e.cost])).toEqual([
      ['k', 3],
      ['k', 1],
    ]);
    // The big one waited for the first grant to leave the window.
    expect(events.of('ratelimit.waited')[0]!.waitedMs).toBeGreaterThanOrEqual(150);
  });

  it('an aborted waiter is removed at once with SS_ERR_ABORTED and the one behind it moves up; an aborted signal queues nothing', async () => {
    const { governor } = processOn(uniquePrefix());
    governor.configure('k', { capacity: 1, windowMs: 400 });
    await governor.acquire('k');
    const controller = new AbortController();
    const first = track(governor.acquire('k', { signal: controller.signal }));
    const second = track(governor.acquire('k'));
    controller.abort(new Error('creator stopped'));
    await until(() => first.error !== undefined, 1000, 'the abort to reject');
    expect(first.error).toMatchObject({ code: 'SS_ERR_ABORTED', details: { key: 'k' } });
    expect(second.settledAfter).toBeUndefined();
    await until(() => second.settledAfter !== undefined, 3000, 'the second waiter');
    expect(second.error).toBeUndefined();

    await expect(governor.acquire('k', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'SS_ERR_ABORTED' });
    expect(governor.snapshot()[0]!.waiting).toBe(0);
  });

  it('a lowered capacity fails a queued waiter that can never fit, instead of blocking the queue', async () => {
    const { governor } = processOn(uniquePrefix());
    governor.configure('k', { capacity: 5, windowMs: 300 });
    await governor.acquire('k', { cost: 5 });
    const big = track(governor.acquire('k', { cost: 4 }));
    const small = track(governor.acquire('k', { cost: 1 }));
    governor.configure('k', { capacity: 3, windowMs: 300 });
    await until(() => big.error !== undefined, 2000, 'the big waiter to fail');
    expect(big.error).toMatchObject({ code: 'SS_ERR_RATE_LIMIT_COST_INVALID', details: { key: 'k', cost: '4', capacity: 3 } });
    await until(() => small.settledAfter !== undefined, 3000, 'the small waiter');
    expect(small.error).toBeUndefined();
  });

  it('a waiting head sleeps until the script says room exists: a few script calls per wait, not polling', async () => {
    const { governor, redis } = processOn(uniquePrefix());
    governor.configure('k', { capacity: 1, windowMs: 500 });
    await governor.acquire('k');
    await redis.config('RESETSTAT');
    const waited = track(governor.acquire('k'));
    await until(() => waited.settledAfter !== undefined, 3000, 'the waiter');
    expect(waited.settledAfter).toBeGreaterThanOrEqual(400);
    const stats = await redis.info('commandstats');
    const calls = [...stats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(calls).toBeGreaterThanOrEqual(2); // told to wait, then granted
    expect(calls).toBeLessThanOrEqual(4);
  });

  it('tryTake() never takes (the shared window needs a round trip) but checks key and cost; snapshot() is ordered by key', async () => {
    const clock = new ManualClock(0); // only for ratelimit.waited timings: windows run on the Redis clock
    const { governor } = processOn(uniquePrefix(), { clock });
    governor.configure('twitch:send:b', { capacity: 20, windowMs: 30_000 });
    governor.configure('discord:rest', { capacity: 50, windowMs: 1000 });
    governor.configure('Twitch:upper', { capacity: 20, windowMs: 30_000 });
    expect(governor.tryTake('twitch:send:b')).toBe(false);
    expect(() => governor.tryTake('nope')).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_UNKNOWN_KEY' }));
    for (const cost of [0, -1, 1.5, 21]) {
      expect(() => governor.tryTake('twitch:send:b', cost)).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_COST_INVALID' }));
      await expect(governor.acquire('twitch:send:b', { cost })).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_COST_INVALID' });
    }
    expect(() => governor.configure('k', { capacity: 0, windowMs: 1.5 })).toThrow(
      expect.objectContaining({
        code: 'SS_ERR_RATE_LIMIT_POLICY_INVALID',
        details: { key: 'k', problems: ['capacity must be an integer ≥ 1 (got 0)', 'windowMs must be an integer ≥ 1 (got 1.5)'] },
      }),
    );
    await governor.acquire('twitch:send:b', { cost: 3 });
    expect(governor.snapshot()).toEqual([
      { key: 'Twitch:upper', policy: { capacity: 20, windowMs: 30_000 }, used: 0, available: 20, waiting: 0 },
      { key: 'discord:rest', policy: { capacity: 50, windowMs: 1000 }, used: 0, available: 50, waiting: 0 },
      { key: 'twitch:send:b', policy: { capacity: 20, windowMs: 30_000 }, used: 3, available: 17, waiting: 0 },
    ]);
  });

  it('dispose() rejects every waiter with SS_ERR_RATE_LIMIT_DISPOSED and refuses later calls', async () => {
    const { governor } = processOn(uniquePrefix());
    governor.configure('a', { capacity: 1, windowMs: 60_000 });
    governor.configure('b', { capacity: 1, windowMs: 60_000 });
    await governor.acquire('a');
    await governor.acquire('b');
    const waiters = [governor.acquire('a'), governor.acquire('a'), governor.acquire('b')].map(track);
    await until(() => governor.snapshot().every((s) => s.waiting > 0), 2000, 'the waiters to queue');
    governor.dispose();
    await until(() => waiters.every((w) => w.error !== undefined), 1000, 'the waiters to be rejected');
    expect(waiters.map((w) => w.error?.code)).toEqual(['SS_ERR_RATE_LIMIT_DISPOSED', 'SS_ERR_RATE_LIMIT_DISPOSED', 'SS_ERR_RATE_LIMIT_DISPOSED']);
    await expect(governor.acquire('a')).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' });
    expect(() => governor.configure('c', { capacity: 1, windowMs: 10 })).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' }));
    expect(() => governor.tryTake('a')).toThrow(expect.objectContaining({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' }));
  });
});

describe('Redis failures', () => {
  it('an unreachable Redis rejects the waiters of the key with SS_ERR_SCALE_REDIS_UNAVAILABLE; configure() only logs', async () => {
    const port = await freeLocalPort(); // nothing listens there
    const dead = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const warnings: unknown[] = [];
    const governor = createRedisRateLimitGovernor({ redis: dead, prefix: uniquePrefix(), logger: { warn: (...args: unknown[]) => void warnings.push(args) } as never });
    governors.push(governor);
    governor.configure('k', { capacity: 5, windowMs: 1000 });
    const results = await Promise.allSettled([governor.acquire('k'), governor.acquire('k')]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error & { code: string; details: unknown };
      expect(error).toMatchObject({ code: 'SS_ERR_SCALE_REDIS_UNAVAILABLE', details: { operation: 'ratelimit acquire', key: 'k' } });
      expect(error.cause).toBeInstanceOf(Error);
    }
    await until(() => warnings.length >= 2, 2000, 'the failed configure and acquire to be logged');
    expect(governor.snapshot()[0]).toMatchObject({ key: 'k', waiting: 0 });
    dead.disconnect();
  });
});
