import { defaultPlugins } from '@streamsuites/defaults';
import {
  busRef,
  clockRef,
  definePlugin,
  EventBus,
  ManualClock,
  quotaDefaultsExtensionPoint,
  quotaRegistryRef,
  rateLimitGovernorRef,
  type QuotaDefault,
  type QuotaExceededEvent,
  type QuotaSnapshot,
} from '@streamsuites/kernel';
import { BusRecorder, freeLocalPort, startTestKernel } from '@streamsuites/kernel/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisQuotaRegistry, QUOTA_KEY_GRACE_MS, type RedisQuotaRegistryOptions } from '../src/quotas.js';
import { createRedisRateLimitGovernor, RedisRateLimitGovernor } from '../src/ratelimits.js';
import { startLocalRedis, type LocalRedis } from '../src/testing.js';
import { connect, uniquePrefix, until } from './helpers.js';

let server: LocalRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startLocalRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

/** A client of its own, as a separate runtime process would have. */
function client(): Redis {
  const redis = connect(server.url);
  clients.push(redis);
  return redis;
}

/** One "process": its own connection, bus and event recorder, sharing the prefix. */
function processOn(prefix: string, options: Partial<RedisQuotaRegistryOptions> = {}) {
  const bus = new EventBus();
  const events = new BusRecorder(bus);
  const redis = client();
  const registry = createRedisQuotaRegistry({ redis, prefix, bus, ...options });
  return { registry, events, redis };
}

const YOUTUBE_DEFAULT: QuotaDefault = { platform: 'youtube', policy: { daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' } };

describe('the hard cap across processes', () => {
  it('3 processes, 200 concurrent charges of 7 on daily 1000: exactly floor(1000/7) pass, the rest are SS_ERR_QUOTA_EXHAUSTED with quota.exceeded', async () => {
    const prefix = uniquePrefix();
    const processes = [0, 1, 2].map(() => processOn(prefix));
    for (const p of processes) p.registry.configure('alice', 'youtube', { daily: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => processes[i % 3]!.registry.tracker('alice', 'youtube').charge(7, { reason: 'liveChatMessages.list' })),
    );
    const passed = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code?: string });
    expect(passed).toBe(Math.floor(1000 / 7));
    expect(refused).toHaveLength(200 - 142);
    expect(new Set(refused.map((e) => e.code))).toEqual(new Set(['SS_ERR_QUOTA_EXHAUSTED']));

    // Every process reads the same usage: 142 × 7 = 994, never above the cap.
    for (const p of processes) {
      const [snapshot] = await p.registry.snapshot();
      expect(snapshot).toMatchObject({ creatorId: 'alice', platform: 'youtube', daily: 1000, used: 994, remaining: 6, status: 'ok' });
    }
    // One quota.exceeded per refusal, on the bus of the process that was refused.
    const exceeded = processes.flatMap((p) => p.events.of('quota.exceeded'));
    expect(exceeded).toHaveLength(58);
    for (const event of exceeded) {
      expect(event).toMatchObject({ creatorId: 'alice', platform: 'youtube', requested: 7, essential: false, reason: 'liveChatMessages.list', daily: 1000 });
      expect(event.used + 7).toBeGreaterThan(1000);
    }
    expect(processes.flatMap((p) => p.events.of('quota.warning'))).toEqual([]);
  });

  it('the buffer holds across processes, essential calls spend it, and quota.warning is emitted once per day overall', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [processOn(prefix), processOn(prefix)];
    for (const p of [a, b]) p.registry.configure('bob', 'youtube', { daily: 100, buffer: 10 });
    const charge = (i: number, essential: boolean) => [a, b][i % 2]!.registry.tracker('bob', 'youtube').charge(1, { essential });

    const normal = await Promise.allSettled(Array.from({ length: 120 }, (_, i) => charge(i, false)));
    expect(normal.filter((r) => r.status === 'fulfilled')).toHaveLength(90);
    const bufferCodes = normal.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    expect(bufferCodes).toEqual(Array(30).fill('SS_ERR_QUOTA_BUFFER_RESERVED'));

    const essential = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => charge(i, true)));
    expect(essential.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const capCodes = essential.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    expect(capCodes).toEqual(Array(10).fill('SS_ERR_QUOTA_EXHAUSTED'));

    // Entering the buffer (used 90) warned once, in whichever process crossed; exhausting it did not warn again.
    const warnings = [...a.events.of('quota.warning'), ...b.events.of('quota.warning')];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ creatorId: 'bob', platform: 'youtube', used: 90, remaining: 10, status: 'buffer' });
    const [snapshot] = await b.registry.snapshot();
    expect(snapshot).toMatchObject({ used: 100, remaining: 0, status: 'exhausted' });
    expect(await a.registry.tracker('bob', 'youtube').canSpend(0, { essential: true })).toBe(true);
    expect(await a.registry.tracker('bob', 'youtube').canSpend(0)).toBe(false); // non-essential: only the buffer is left
    expect(await a.registry.tracker('bob', 'youtube').canSpend(1, { essential: true })).toBe(false);
  });

  it('a refusal names creator, platform, usage and reset, charges nothing, and its event is the snapshot plus the call', async () => {
    const clock = new ManualClock(Date.parse('2025-06-10T19:00:00Z'));
    const { registry, events } = processOn(uniquePrefix(), { clock, defaults: [YOUTUBE_DEFAULT] });
    const tracker = registry.tracker('carol', 'youtube');
    await tracker.charge(9_990, { essential: true });
    const error = await tracker.charge(20, { essential: true, reason: 'videos.insert' }).catch((e: unknown) => e);
    const resetsAt = Date.parse('2025-06-11T07:00:00Z'); // midnight in Los Angeles (PDT)
    expect(error).toMatchObject({
      code: 'SS_ERR_QUOTA_EXHAUSTED',
      details: { creatorId: 'carol', platform: 'youtube', used: 9_990, daily: 10_000, buffer: 500, requested: 20, essential: true, resetsAt },
    });
    expect((error as Error).message).toContain('carol');
    expect((error as Error).message).toContain(new Date(resetsAt).toISOString());
    const expected: QuotaExceededEvent = {
      creatorId: 'carol',
      platform: 'youtube',
      daily: 10_000,
      buffer: 500,
      used: 9_990,
      remaining: 10,
      status: 'buffer',
      day: '2025-06-10',
      timeZone: 'America/Los_Angeles',
      resetsAt,
      requested: 20,
      essential: true,
      reason: 'videos.insert',
    };
    expect(events.of('quota.exceeded')).toEqual([expected]);
    expect((await tracker.snapshot()).used).toBe(9_990);
    // The crossing charge (9 990 ≥ 9 500) warned, with the snapshot after it.
    const { requested: _r, essential: _e, reason: _s, ...snapshotPart } = expected;
    expect(events.of('quota.warning')).toEqual([snapshotPart]);
  });
});

describe('quota days in the policy time zone', () => {
  it('rolls over at local midnight (a 23-hour day in Los Angeles); each day has its own key, expiring a grace period after the day ends', async () => {
    const prefix = uniquePrefix();
    // 2025-03-08 23:30 in Los Angeles (PST); the next day springs forward.
    const clock = new ManualClock(Date.parse('2025-03-09T07:30:00Z'));
    const { registry, redis } = processOn(prefix, { clock, defaults: [YOUTUBE_DEFAULT] });
    const tracker = registry.tracker('dave', 'youtube');
    await tracker.charge(50);
    const before: QuotaSnapshot = await tracker.snapshot();
    expect(before).toMatchObject({ used: 50, day: '2025-03-08', resetsAt: Date.parse('2025-03-09T08:00:00Z') });
    const oldKey = registry.usageKey('dave', 'youtube', '2025-03-08');
    const oldTtl = await redis.pttl(oldKey);
    expect(oldTtl).toBeGreaterThan(30 * 60_000 + QUOTA_KEY_GRACE_MS - 60_000);
    expect(oldTtl).toBeLessThanOrEqual(30 * 60_000 + QUOTA_KEY_GRACE_MS);

    clock.advance(30 * 60_000 - 1); // 23:59:59.999: still the old day
    expect((await tracker.snapshot()).used).toBe(50);
    clock.advance(1); // local midnight
    const after = await tracker.snapshot();
    expect(after).toMatchObject({ used: 0, day: '2025-03-09', resetsAt: Date.parse('2025-03-10T07:00:00Z') }); // 23 h later
    await tracker.charge(5);
    expect(await redis.hget(registry.usageKey('dave', 'youtube', '2025-03-09'), 'used')).toBe('5');
    expect(await redis.hget(oldKey, 'used')).toBe('50');
  });

  it('continues the day in a new registry (a restart) and in another process; a new time zone keeps usage only while the local date is the same', async () => {
    const prefix = uniquePrefix();
    const clock = new ManualClock(Date.parse('2025-06-10T12:00:00Z'));
    const first = processOn(prefix, { clock });
    first.registry.configure('erin', 'rumble', { daily: 1000 });
    await first.registry.tracker('erin', 'rumble').charge(300);

    const restarted = processOn(prefix, { clock });
    restarted.registry.configure('erin', 'rumble', { daily: 1000 });
    expect(await restarted.registry.snapshot()).toEqual([
      expect.objectContaining({ creatorId: 'erin', platform: 'rumble', used: 300, day: '2025-06-10', timeZone: 'UTC', resetsAt: Date.parse('2025-06-11T00:00:00Z') }),
    ]);
    // Berlin's date at 12:00Z is still 2025-06-10: the usage stays.
    restarted.registry.configure('erin', 'rumble', { daily: 1000, timeZone: 'Europe/Berlin' });
    expect(await restarted.registry.tracker('erin', 'rumble').snapshot()).toMatchObject({ used: 300, timeZone: 'Europe/Berlin', resetsAt: Date.parse('2025-06-10T22:00:00Z') });
    // Kiritimati (UTC+14) is already on 2025-06-11: a new day.
    restarted.registry.configure('erin', 'rumble', { daily: 1000, timeZone: 'Pacific/Kiritimati' });
    expect(await restarted.registry.tracker('erin', 'rumble').snapshot()).toMatchObject({ used: 0, day: '2025-06-11' });
  });
});

describe('the registry', () => {
  it('one tracker per pair; the configured (manifest) policy beats the caller default, which beats the platform default', async () => {
    const { registry } = processOn(uniquePrefix(), { defaults: [YOUTUBE_DEFAULT] });
    const youtube = registry.tracker('alice', 'youtube');
    expect(registry.tracker('alice', 'youtube', { daily: 5 })).toBe(youtube);
    expect(youtube.policy).toEqual(YOUTUBE_DEFAULT.policy);
    expect(registry.tracker('bob', 'youtube', { daily: 300 }).policy).toEqual({ daily: 300, buffer: 0, timeZone: 'America/Los_Angeles' });
    registry.configure('carol', 'youtube', { daily: 2000, buffer: 100, timeZone: 'utc' });
    expect(registry.tracker('carol', 'youtube', { daily: 5 }).policy).toEqual({ daily: 2000, buffer: 100, timeZone: 'UTC' });

    // configure() on a live tracker replaces its policy and keeps the usage.
    await youtube.charge(9_000);
    registry.configure('alice', 'youtube', { daily: 20_000 });
    expect(youtube.policy).toEqual({ daily: 20_000, buffer: 0, timeZone: 'America/Los_Angeles' });
    expect(await youtube.snapshot()).toMatchObject({ used: 9_000, daily: 20_000, remaining: 11_000 });
  });

  it('refuses invalid and missing policies and invalid units with the default\'s codes', async () => {
    const { registry } = processOn(uniquePrefix());
    expect(() => registry.configure('alice', 'youtube', { daily: 10, buffer: 10, timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_QUOTA_POLICY_INVALID' }),
    );
    expect(() => registry.tracker('alice', 'rumble')).toThrow(expect.objectContaining({ code: 'SS_ERR_QUOTA_POLICY_MISSING', details: { creatorId: 'alice', platform: 'rumble' } }));
    const tracker = registry.tracker('alice', 'rumble', { daily: 10 });
    for (const units of [-1, 1.5, Number.NaN, '3' as unknown as number]) {
      await expect(tracker.charge(units)).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_UNITS_INVALID' });
      await expect(tracker.canSpend(units)).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_UNITS_INVALID' });
    }
    expect((await tracker.snapshot()).used).toBe(0);
  });

  it('snapshot() is ordered by creator then platform and includes configured pairs; ids cannot collide in keys', async () => {
    const { registry } = processOn(uniquePrefix());
    registry.tracker('zoe', 'twitch', { daily: 10 });
    registry.configure('a:b', 'c', { daily: 10 });
    registry.tracker('a', 'b:c', { daily: 10 });
    registry.tracker('amy', 'youtube', { daily: 10 });
    await registry.tracker('a:b', 'c').charge(4);
    const snapshot = await registry.snapshot();
    expect(snapshot.map((s) => [s.creatorId, s.platform, s.used])).toEqual([
      ['a', 'b:c', 0],
      ['a:b', 'c', 4],
      ['amy', 'youtube', 0],
      ['zoe', 'twitch', 0],
    ]);
  });

  it('flush() waits for the charges in flight', async () => {
    const prefix = uniquePrefix();
    const { registry } = processOn(prefix);
    const tracker = registry.tracker('fay', 'kick', { daily: 1000 });
    const charges = Array.from({ length: 50 }, () => tracker.charge(2));
    await registry.flush();
    const reader = processOn(prefix).registry;
    expect((await reader.tracker('fay', 'kick', { daily: 1000 }).snapshot()).used).toBe(100);
    await Promise.all(charges);
  });
});

describe('Redis failures', () => {
  it('an unreachable Redis makes charge, canSpend and snapshot fail with SS_ERR_SCALE_REDIS_UNAVAILABLE (cause kept, logged at warn)', async () => {
    const port = await freeLocalPort(); // nothing listens there
    const dead = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const warnings: unknown[] = [];
    const registry = createRedisQuotaRegistry({ redis: dead, prefix: uniquePrefix(), logger: { warn: (...args: unknown[]) => void warnings.push(args) } as never });
    const tracker = registry.tracker('gus', 'youtube', { daily: 10 });
    for (const [operation, call] of [
      ['quota charge', () => tracker.charge(1)],
      ['quota canSpend', () => tracker.canSpend(1)],
      ['quota snapshot', () => tracker.snapshot()],
    ] as const) {
      const error = await (call() as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SS_ERR_SCALE_REDIS_UNAVAILABLE', details: { operation, creatorId: 'gus', platform: 'youtube' } });
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    expect(warnings).toHaveLength(3);
    dead.disconnect();
  });
});

describe('in a kernel, in place of the defaults', () => {
  /** What the scale plugin does: provide the Redis services over the default ones (a test double of it, not plugin.ts). */
  const redisServices = (redis: Redis, prefix: string) =>
    definePlugin({
      id: 'redis-limits-test',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.provide(quotaRegistryRef, {
          deps: { bus: busRef, clock: clockRef },
          factory: (deps, ctx) => createRedisQuotaRegistry({ redis, prefix, ...deps, defaults: ctx.extensions(quotaDefaultsExtensionPoint).map((c) => c.value) }),
          dispose: (registry) => registry.flush(),
        });
        reg.provide(rateLimitGovernorRef, {
          deps: { bus: busRef, clock: clockRef },
          factory: (deps) => createRedisRateLimitGovernor({ redis, prefix, ...deps }),
          dispose: (governor) => governor.dispose(),
        });
      },
    });
  const poller = definePlugin({
    id: 'poller',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.extend(quotaDefaultsExtensionPoint, YOUTUBE_DEFAULT);
      reg.onInit({
        deps: { quotas: quotaRegistryRef, limits: rateLimitGovernorRef },
        async start({ deps, creator, signal }) {
          deps.limits.configure(`poll:${creator.id}`, { capacity: 1, windowMs: 60_000 });
          await deps.limits.acquire(`poll:${creator.id}`, { signal });
          await deps.quotas.tracker(creator.id, 'youtube').charge(5, { reason: 'liveChatMessages.list' });
        },
      });
    },
  });

  it('two kernels on one Redis share the manifest-configured quota and the rate limit; a stopped kernel disposes its governor', async () => {
    const prefix = uniquePrefix();
    const manifest = { creators: { daniel: { enable: ['poller'], quotas: { youtube: { daily: 3_000, buffer: 100 } } } } };
    const kernels = [];
    for (let i = 0; i < 2; i++) {
      kernels.push(await startTestKernel({ defaults: defaultPlugins(), plugins: [redisServices(client(), prefix), poller], manifest, start: false }));
    }
    // The first kernel's start takes the only unit of poll:daniel for 60 s; the second must wait for it.
    await kernels[0]!.kernel.start();
    const second = kernels[1]!.kernel.start().catch((error: unknown) => error);
    const governor = kernels[1]!.kernel.resolve(rateLimitGovernorRef);
    expect(governor).toBeInstanceOf(RedisRateLimitGovernor);
    await until(() => governor.snapshot()[0]?.waiting === 1, 5000, 'the second kernel to wait for poll:daniel');
    expect(await kernels[1]!.kernel.resolve(quotaRegistryRef).snapshot()).toEqual([
      expect.objectContaining({ creatorId: 'daniel', platform: 'youtube', daily: 3_000, buffer: 100, used: 5, timeZone: 'America/Los_Angeles' }),
    ]);
    // Stopping aborts the creator's signal: the waiting start() gives up, and the governor is disposed.
    await kernels[1]!.stop();
    await second;
    expect(governor.snapshot()[0]?.waiting).toBe(0);
    await expect(governor.acquire('poll:daniel')).rejects.toMatchObject({ code: 'SS_ERR_RATE_LIMIT_DISPOSED' });
    await kernels[0]!.stop();
  });
});
