import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus, systemClock, type QuotaExceededEvent, type StateStore } from '@streamsuites/kernel';
import { BusRecorder } from '@streamsuites/kernel/testing';
import { configureCreatorQuotas, createQuotaRegistry } from '../src/quota/registry.js';
import { QUOTA_STORE_NAMESPACE, type StoredQuotaUsage } from '../src/quota/tracker.js';
import { MemoryStateStore } from '../src/state/memory-store.js';
import { TestStateStore } from './helpers/quota-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

function setup<S extends Pick<StateStore, 'get' | 'set'> = TestStateStore>(store: S = new TestStateStore() as unknown as S) {
  const bus = new EventBus();
  const events = new BusRecorder(bus);
  // A platform plugin's default, as plugin-youtube contributes it (quotaDefaultsExtensionPoint).
  const platformDefaults = new Map([['youtube', { daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' }]]);
  const registry = createQuotaRegistry({ store, bus, clock: systemClock, platformDefaults });
  return { store, bus, events, registry };
}

beforeEach(() => {
  vi.useFakeTimers();
  // Tuesday 2025-06-10 12:00 in Los Angeles (PDT, UTC-7).
  vi.setSystemTime(new Date('2025-06-10T19:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('quota buffer and hard cap', () => {
  it('warns once on entering the buffer, refuses non-essential calls there, lets essential ones spend it', async () => {
    const { registry, events } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 100, buffer: 10 });

    await yt.charge(85, { reason: 'liveChatMessages.list' });
    // 85 + 10 would take 5 units of the buffer: refused although usage is still outside it.
    await expect(yt.charge(10)).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_BUFFER_RESERVED' });
    expect((await yt.snapshot()).used).toBe(85);
    expect(events.of('quota.warning')).toEqual([]);

    await yt.charge(5); // exactly daily - buffer: allowed, and now in buffer mode
    const warnings = events.of('quota.warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ creatorId: 'daniel', platform: 'youtube', used: 90, remaining: 10, status: 'buffer' });

    const refused = await yt.charge(1, { reason: 'poll' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'SS_ERR_QUOTA_BUFFER_RESERVED', details: { used: 90, daily: 100, buffer: 10, requested: 1 } });
    expect(await yt.canSpend(1)).toBe(false);
    expect(await yt.canSpend(10, { essential: true })).toBe(true);

    await yt.charge(10, { essential: true });
    expect(await yt.snapshot()).toMatchObject({ used: 100, remaining: 0, status: 'exhausted' });
    // Crossing again (buffer -> exhausted) does not warn twice in one day.
    expect(events.of('quota.warning')).toHaveLength(1);

    const exceeded = events.of('quota.exceeded') as QuotaExceededEvent[];
    expect(exceeded.map((e) => [e.requested, e.essential, e.reason ?? null])).toEqual([
      [10, false, null],
      [1, false, 'poll'],
    ]);
    expect(() => JSON.stringify(exceeded)).not.toThrow();
  });

  it('refuses any call past the hard cap with SS_ERR_QUOTA_EXHAUSTED naming creator, platform, usage and reset', async () => {
    const { registry, events } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 50 });
    await yt.charge(50, { essential: true });
    const error = await yt.charge(1, { essential: true }).catch((e: unknown) => e);
    const resetsAt = Date.parse('2025-06-11T07:00:00Z'); // next midnight in Los Angeles
    expect(error).toMatchObject({
      code: 'SS_ERR_QUOTA_EXHAUSTED',
      details: { creatorId: 'daniel', platform: 'youtube', used: 50, daily: 50, requested: 1, essential: true, resetsAt },
    });
    expect((error as Error).message).toBe(
      `Daily youtube quota of creator "daniel" is exhausted (50/50 units used); it resets at ${iso(resetsAt)}`,
    );
    expect((error as { hint: string }).hint).toContain('creators.daniel.quotas.youtube.daily');
    expect((await yt.snapshot()).used).toBe(50);
    // buffer 0: the warning fires when the day's units run out.
    expect(events.of('quota.warning')).toHaveLength(1);
    expect(events.of('quota.exceeded')).toHaveLength(1);
  });

  it('never exceeds the cap under 50 concurrent charges, and each resolved charge is already in the store', async () => {
    const { registry, store } = setup();
    // Early writes are the slowest: unserialized, a stale early write would land last.
    store.writeTicks = (n) => 200 - n * 4;
    const yt = registry.tracker('daniel', 'youtube', { daily: 100, buffer: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => yt.charge(3, { essential: i % 2 === 0 })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    const snapshot = await yt.snapshot();
    expect(snapshot.used).toBe(ok * 3);
    expect(snapshot.used).toBeLessThanOrEqual(100);
    // Serialized in call order: 30 charges reach 90, then only essential ones pass until 99.
    expect(ok).toBe(33);
    expect(new Set(codes)).toEqual(new Set(['SS_ERR_QUOTA_BUFFER_RESERVED', 'SS_ERR_QUOTA_EXHAUSTED']));
    expect(store.peek<StoredQuotaUsage>(QUOTA_STORE_NAMESPACE, 'daniel/youtube')?.used).toBe(99);
    expect(store.writes).toBe(33);

    await yt.charge(1, { essential: true });
    // Awaited write: the store has it the moment charge resolves.
    expect(store.peek<StoredQuotaUsage>(QUOTA_STORE_NAMESPACE, 'daniel/youtube')?.used).toBe(100);
  });

  it('counts the units of a charge whose write failed, and refuses that charge', async () => {
    const { registry, store } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 10 });
    store.failWrites = new Error('disk full');
    const error = await yt.charge(4).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_QUOTA_STORE_FAILED', cause: store.failWrites });
    store.failWrites = undefined;
    expect((await yt.snapshot()).used).toBe(4);
    await yt.charge(6);
    await expect(yt.charge(1, { essential: true })).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_EXHAUSTED' });
    expect(store.peek<StoredQuotaUsage>(QUOTA_STORE_NAMESPACE, 'daniel/youtube')?.used).toBe(10);
  });
});

describe('quota day reset in the policy time zone', () => {
  it('resets at local midnight across the spring-forward day (23 hours) in America/Los_Angeles', async () => {
    // Sunday 2025-03-09 00:30 PST; clocks jump from 02:00 PST to 03:00 PDT.
    vi.setSystemTime(new Date('2025-03-09T08:30:00Z'));
    const { registry, events } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 100 });
    await yt.charge(100);
    const before = await yt.snapshot();
    expect(before).toMatchObject({ day: '2025-03-09', timeZone: 'America/Los_Angeles', status: 'exhausted' });
    // Midnight PDT on March 10 is 07:00 UTC: the day began at 08:00 UTC, 23 hours earlier.
    expect(iso(before.resetsAt)).toBe('2025-03-10T07:00:00.000Z');
    expect(before.resetsAt - Date.parse('2025-03-09T08:00:00Z')).toBe(23 * 3_600_000);

    vi.setSystemTime(new Date('2025-03-09T10:30:00Z')); // 03:30 PDT, after the jump: same day
    await expect(yt.charge(1, { essential: true })).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_EXHAUSTED' });
    vi.setSystemTime(new Date('2025-03-10T06:59:59.999Z')); // 23:59:59.999 PDT
    await expect(yt.charge(1, { essential: true })).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_EXHAUSTED' });

    vi.setSystemTime(new Date('2025-03-10T07:00:00Z')); // midnight PDT
    await yt.charge(1);
    const after = await yt.snapshot();
    expect(after).toMatchObject({ day: '2025-03-10', used: 1, status: 'ok' });
    expect(iso(after.resetsAt)).toBe('2025-03-11T07:00:00.000Z');
    expect(events.of('quota.warning')).toHaveLength(1);
  });

  it('resets at local midnight across the fall-back day (25 hours), not during the repeated hour', async () => {
    // Sunday 2025-11-02 00:00 PDT; at 02:00 PDT clocks go back to 01:00 PST.
    vi.setSystemTime(new Date('2025-11-02T07:00:00Z'));
    const { registry } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 100, buffer: 20 });
    await yt.charge(70);
    const first = await yt.snapshot();
    expect(first.day).toBe('2025-11-02');
    expect(iso(first.resetsAt)).toBe('2025-11-03T08:00:00.000Z');
    expect(first.resetsAt - Date.parse('2025-11-02T07:00:00Z')).toBe(25 * 3_600_000);

    vi.setSystemTime(new Date('2025-11-02T08:30:00Z')); // 01:30 PDT
    await yt.charge(5);
    vi.setSystemTime(new Date('2025-11-02T09:30:00Z')); // 01:30 PST, the same wall time again
    await yt.charge(5);
    vi.setSystemTime(new Date('2025-11-03T07:59:59.999Z')); // 23:59:59.999 PST
    expect(await yt.snapshot()).toMatchObject({ day: '2025-11-02', used: 80, status: 'buffer' });

    vi.setSystemTime(new Date('2025-11-03T08:00:00Z')); // midnight PST
    expect(await yt.snapshot()).toMatchObject({ day: '2025-11-03', used: 0, status: 'ok' });
    expect(iso((await yt.snapshot()).resetsAt)).toBe('2025-11-04T08:00:00.000Z');
  });

  it('warns again on a new day, once', async () => {
    const { registry, events } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 10, buffer: 2 });
    await yt.charge(9, { essential: true });
    await yt.charge(1, { essential: true });
    vi.setSystemTime(new Date('2025-06-11T07:00:00Z'));
    await yt.charge(8);
    await yt.charge(1, { essential: true });
    expect(events.of('quota.warning').map((w) => [w.day, w.used])).toEqual([
      ['2025-06-10', 9],
      ['2025-06-11', 8],
    ]);
  });

  it('uses UTC midnight when a non-YouTube policy names no zone', async () => {
    const { registry } = setup();
    const twitch = registry.tracker('daniel', 'twitch', { daily: 5 });
    await twitch.charge(1);
    const snapshot = await twitch.snapshot();
    expect(snapshot.timeZone).toBe('UTC');
    expect(iso(snapshot.resetsAt)).toBe('2025-06-11T00:00:00.000Z');
  });
});

describe('quota persistence across restarts', () => {
  it.each([
    ['the test store', () => new TestStateStore()],
    ["the kernel's MemoryStateStore", () => new MemoryStateStore()],
  ])('a new registry over the same store (%s) continues the day and cannot overspend', async (_name, makeStore) => {
    const store = makeStore();
    const first = setup(store);
    await first.registry.tracker('daniel', 'youtube', { daily: 100, buffer: 10 }).charge(95, { essential: true });
    expect(first.events.of('quota.warning')).toHaveLength(1);

    // "Restart": a fresh registry, bus and tracker over the same store, one hour later.
    vi.setSystemTime(new Date('2025-06-10T20:00:00Z'));
    const second = setup(store);
    const yt = second.registry.tracker('daniel', 'youtube', { daily: 100, buffer: 10 });
    await expect(yt.charge(6, { essential: true })).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_EXHAUSTED', details: { used: 95 } });
    await yt.charge(5, { essential: true });
    // Already warned today (persisted): no second warning after the restart.
    expect(second.events.of('quota.warning')).toEqual([]);

    const third = setup(store);
    expect(await third.registry.tracker('daniel', 'youtube', { daily: 100 }).snapshot()).toMatchObject({ used: 100 });

    // After midnight in Los Angeles the stored day is over.
    vi.setSystemTime(new Date('2025-06-11T07:00:00Z'));
    const fourth = setup(store);
    expect(await fourth.registry.tracker('daniel', 'youtube', { daily: 100 }).snapshot()).toMatchObject({
      used: 0,
      day: '2025-06-11',
    });
  });

  it('keeps usage when the time zone changes but the local date is the same', async () => {
    const store = new TestStateStore();
    await setup(store).registry.tracker('daniel', 'twitch', { daily: 100, timeZone: 'America/New_York' }).charge(40);
    // 15:00 in New York and 19:00 UTC: both 2025-06-10.
    const moved = setup(store).registry.tracker('daniel', 'twitch', { daily: 100, timeZone: 'UTC' });
    expect(await moved.snapshot()).toMatchObject({ used: 40, day: '2025-06-10', timeZone: 'UTC' });
  });
});

describe('quota registry', () => {
  it('returns one tracker per creator + platform; the configured (manifest) policy beats the plugin default', async () => {
    const { registry } = setup();
    registry.configure('daniel', 'youtube', { daily: 2_000, buffer: 100 });
    const yt = registry.tracker('daniel', 'youtube', { daily: 10_000 });
    expect(registry.tracker('daniel', 'youtube')).toBe(yt);
    expect(registry.tracker('daniel', 'twitch', { daily: 1 })).not.toBe(yt);
    // A configured policy without a zone gets the platform's.
    expect(yt.policy).toEqual({ daily: 2_000, buffer: 100, timeZone: 'America/Los_Angeles' });
    // No policy at all: the YouTube default.
    expect(registry.tracker('other', 'youtube').policy).toEqual({ daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' });
  });

  it('configure() on a live tracker replaces the policy and keeps the usage', async () => {
    const { registry, events } = setup();
    const yt = registry.tracker('daniel', 'youtube', { daily: 100, buffer: 10 });
    await yt.charge(60);
    registry.configure('daniel', 'youtube', { daily: 70, buffer: 15 });
    expect(await yt.snapshot()).toMatchObject({ used: 60, daily: 70, buffer: 15, status: 'buffer' });
    expect(events.of('quota.warning')).toEqual([]);
    // The next charge warns: usage is past the new line although this charge did not cross it.
    await yt.charge(5, { essential: true });
    expect(events.of('quota.warning')).toMatchObject([{ used: 65, daily: 70 }]);
    registry.configure('daniel', 'youtube', { daily: 50 });
    expect(await yt.snapshot()).toMatchObject({ used: 65, daily: 50, status: 'exhausted' });
    await expect(yt.charge(1, { essential: true })).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_EXHAUSTED' });
    expect(events.of('quota.warning')).toHaveLength(1);
  });

  it('configureCreatorQuotas applies a creator\'s manifest quotas', () => {
    const { registry } = setup();
    configureCreatorQuotas(registry, { id: 'daniel', quotas: { youtube: { daily: 3_000 }, rumble: { daily: 10, timeZone: 'utc' } } });
    expect(registry.tracker('daniel', 'youtube').policy).toEqual({ daily: 3_000, buffer: 0, timeZone: 'America/Los_Angeles' });
    expect(registry.tracker('daniel', 'rumble').policy).toEqual({ daily: 10, buffer: 0, timeZone: 'UTC' });
  });

  it('snapshot() is ordered by creator then platform, whatever the creation order, and includes configured pairs', async () => {
    const build = async (order: [string, string][]) => {
      const { registry } = setup();
      registry.configure('zoe', 'youtube', { daily: 10 });
      for (const [creator, platform] of order) await registry.tracker(creator, platform, { daily: 10 }).charge(1);
      return registry.snapshot();
    };
    const a = await build([['bob', 'youtube'], ['alice', 'youtube'], ['bob', 'discord'], ['alice', 'twitch']]);
    const b = await build([['alice', 'twitch'], ['bob', 'discord'], ['alice', 'youtube'], ['bob', 'youtube']]);
    expect(a.map((s) => `${s.creatorId}/${s.platform}`)).toEqual([
      'alice/twitch',
      'alice/youtube',
      'bob/discord',
      'bob/youtube',
      'zoe/youtube',
    ]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
