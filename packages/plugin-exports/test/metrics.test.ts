/** shared/state/metrics.json and the runtime snapshot's per-minute figures, from a real kernel with the exports plugin, on a manual clock. */
import { join } from 'node:path';
import { ManualClock, quotaRegistryRef, schemaProblems, type TSchema } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import exportsPlugin from '../src/index.js';
import { metricsSection, ChatRate, QuotaSamples } from '../src/metrics.js';
import { chatAt, iso, writtenAt } from './dashboard-helpers.js';
import { exportsKernel, tempDir } from './helpers.js';

const METRICS = 'shared/state/metrics.json';
const SNAPSHOT = 'shared/state/runtime_snapshot.json';
const MIN = 60_000;

type Bucket = { at: string; messages: number };
type ChatRow = { creator: string; platform: string; buckets: Bucket[] };

/** Bucket counts of a row as `{ minute ISO: messages }`, non-zero ones only. */
const nonZero = (row: ChatRow) => Object.fromEntries(row.buckets.filter((b) => b.messages !== 0).map((b) => [b.at, b.messages]));
const rowOf = (body: Record<string, any>, creator: string, platform: string) => (body.chat as ChatRow[]).find((r) => r.creator === creator && r.platform === platform)!;

/** Exactly 60 one-minute buckets ending with the current minute, oldest first. */
function expectHour(row: ChatRow, now: number): void {
  const current = Math.floor(now / MIN) * MIN;
  expect(row.buckets).toHaveLength(60);
  expect(row.buckets.map((b) => b.at)).toEqual(Array.from({ length: 60 }, (_, i) => iso(current - (59 - i) * MIN)));
}

describe('metrics.json: chat messages per minute', () => {
  it('counts per creator and platform into one-minute buckets that roll across minutes, idle gaps (zeros) and the hour (all zeros)', async () => {
    const T = Date.UTC(2026, 10, 27, 12, 0, 30);
    const clock = new ManualClock(T);
    const dataDir = tempDir();
    const root = join(dataDir, 'state');
    const t = await exportsKernel(dataDir, { now: () => clock.now(), config: { debounceMs: 0 } });
    await writtenAt(root, METRICS, clock);
    const emit = (creator: string, platform = 'twitch', n = 1) => {
      for (let i = 0; i < n; i++) t.bus.emit('chat.message', chatAt(clock, creator, platform));
    };

    // 12:00:30 — three on alice/twitch, one on alice/youtube, one on bob/twitch.
    clock.set(T + 1000);
    emit('alice', 'twitch', 3);
    emit('bob');
    emit('alice', 'youtube');
    let body = await writtenAt(root, METRICS, clock);
    expect(body.bucketMs).toBe(60_000);
    expect((body.chat as ChatRow[]).map((r) => `${r.creator}/${r.platform}`)).toEqual(['alice/twitch', 'alice/youtube', 'bob/twitch']);
    expectHour(rowOf(body, 'alice', 'twitch'), clock.now());
    expect(nonZero(rowOf(body, 'alice', 'twitch'))).toEqual({ '2026-11-27T12:00:00.000Z': 3 });

    // 12:01:15 — two more: the next bucket; 12:00's stays.
    clock.set(T + 45_000);
    emit('alice', 'twitch', 2);
    body = await writtenAt(root, METRICS, clock);
    expectHour(rowOf(body, 'alice', 'twitch'), clock.now());
    expect(nonZero(rowOf(body, 'alice', 'twitch'))).toEqual({ '2026-11-27T12:00:00.000Z': 3, '2026-11-27T12:01:00.000Z': 2 });

    // 12:02:10 — the runtime snapshot shows the last full minute (12:01: two), and the stream live since its start.
    clock.set(T + 100_000);
    t.bus.emit('stream.online', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: clock.now(), startedAt: T - 30_000, title: 'Speedrun' });
    let snapshot = await writtenAt(root, SNAPSHOT, clock);
    const platforms = () => snapshot.creators.find((c: { id: string }) => c.id === 'alice').platforms as Record<string, unknown>[];
    expect(platforms().map((p) => [p.platform, p.messagesPerMinute, p.live, p.liveSince])).toEqual([
      ['twitch', 2, true, '2026-11-27T12:00:00.000Z'],
      ['youtube', 0, false, undefined],
    ]);
    expect(platforms()[0]).toMatchObject({ messages: 5, lastMessageAt: '2026-11-27T12:01:15.000Z' });
    // Offline: live false, no liveSince.
    clock.advance(1000);
    t.bus.emit('stream.offline', { creatorId: 'alice', platform: 'twitch', channel: 'alice', at: clock.now() });
    snapshot = await writtenAt(root, SNAPSHOT, clock);
    expect(platforms()[0]).toMatchObject({ live: false, messagesPerMinute: 2 });
    expect(platforms()[0]).not.toHaveProperty('liveSince');

    // Five idle minutes, then one message at 12:07:10: zeros between.
    clock.set(T + 6 * MIN + 40_000);
    emit('alice');
    body = await writtenAt(root, METRICS, clock);
    expectHour(rowOf(body, 'alice', 'twitch'), clock.now());
    expect(nonZero(rowOf(body, 'alice', 'twitch'))).toEqual({ '2026-11-27T12:00:00.000Z': 3, '2026-11-27T12:01:00.000Z': 2, '2026-11-27T12:07:00.000Z': 1 });
    expect(rowOf(body, 'alice', 'twitch').buckets.slice(-7, -1).map((b) => b.messages)).toEqual([2, 0, 0, 0, 0, 0]);

    // 13:00:40 — the ring's slot of 12:00 again: 12:00 has left the hour, its count is not carried into 13:00.
    clock.set(T + 60 * MIN + 10_000);
    emit('alice');
    body = await writtenAt(root, METRICS, clock);
    expectHour(rowOf(body, 'alice', 'twitch'), clock.now());
    expect(nonZero(rowOf(body, 'alice', 'twitch'))).toEqual({ '2026-11-27T12:01:00.000Z': 2, '2026-11-27T12:07:00.000Z': 1, '2026-11-27T13:00:00.000Z': 1 });

    // More than an hour idle (bob's message only triggers the write): alice's rows are all zeros, still 60 buckets.
    clock.set(T + 125 * MIN);
    emit('bob');
    body = await writtenAt(root, METRICS, clock);
    for (const platform of ['twitch', 'youtube']) {
      expectHour(rowOf(body, 'alice', platform), clock.now());
      expect(nonZero(rowOf(body, 'alice', platform))).toEqual({});
    }
    expect(nonZero(rowOf(body, 'bob', 'twitch'))).toEqual({ [iso(Math.floor(clock.now() / MIN) * MIN)]: 1 });
    await t.stop();
  });

  it('a message arriving late (older than the hour kept) is not counted into a current bucket', () => {
    const rate = new ChatRate();
    const T = Date.UTC(2026, 10, 27, 12, 0, 0);
    rate.add('alice', 'twitch', T);
    rate.add('alice', 'twitch', T - 60 * MIN); // the same ring slot, an hour before
    rate.add('alice', 'twitch', T - 59 * MIN);
    const [row] = rate.series(T);
    expect(row!.buckets.map((b) => b.messages).filter((n) => n > 0)).toEqual([1, 1]);
    expect(row!.buckets[0]).toEqual({ at: iso(T - 59 * MIN), messages: 1 });
  });
});

describe('metrics.json: quota samples', () => {
  it('samples used at most every 5 minutes through the quota day, at most 289 (a 25-hour DST day), and starts again when the day changes', async () => {
    // 2026-11-01 in Los Angeles is 25 hours long (PDT ends): 07:00Z to 08:00Z the next day.
    const dayStart = Date.UTC(2026, 10, 1, 7, 0, 0);
    const clock = new ManualClock(dayStart);
    const dataDir = tempDir();
    const root = join(dataDir, 'state');
    const t = await startTestKernel({
      plugins: [exportsPlugin],
      clock: { now: () => clock.now() },
      manifest: {
        dataDir,
        plugins: { exports: { config: { mirror: false, debounceMs: 0 } } },
        creators: { alice: { enable: ['exports'], quotas: { youtube: { daily: 100_000, buffer: 500, timeZone: 'America/Los_Angeles' } } } },
      },
    });
    const tracker = t.kernel.resolve(quotaRegistryRef).tracker('alice', 'youtube');
    await writtenAt(root, METRICS, clock);
    const step = async (ms: number, units = 1) => {
      await tracker.charge(units);
      clock.advance(ms);
      t.bus.emit('chat.message', chatAt(clock, 'bob')); // a watched event: the file is written at the new time
      return (await writtenAt(root, METRICS, clock)).quota as { creator: string; platform: string; daily: number; resetsAt: string; samples: { at: string; used: number }[] }[];
    };

    let quota = await step(60_000, 5);
    expect(quota).toHaveLength(1);
    expect(quota[0]).toMatchObject({ creator: 'alice', platform: 'youtube', daily: 100_000, resetsAt: '2026-11-02T08:00:00.000Z' });
    const first = quota[0]!.samples;
    expect(first).toHaveLength(1);
    // Two minutes later: no new sample (at most every 5 minutes).
    quota = await step(2 * MIN);
    expect(quota[0]!.samples).toEqual(first);
    // Five minutes after the first: a new one, with the units charged since.
    quota = await step(3 * MIN);
    expect(quota[0]!.samples).toEqual([...first, { at: iso(dayStart + 6 * MIN), used: 7 }]);

    // Through the 25-hour day, a sample every 5 minutes: the oldest are dropped at 289.
    while (clock.now() + 5 * MIN < Date.UTC(2026, 10, 2, 8, 0, 0)) quota = await step(5 * MIN);
    const samples = quota[0]!.samples;
    expect(samples.length).toBe(289);
    expect(samples.at(-1)!.at).toBe(iso(clock.now()));
    expect(samples[0]!.at).toBe(iso(clock.now() - 288 * 5 * MIN));
    expect(samples.map((s) => s.at)).toEqual([...samples.map((s) => s.at)].sort());

    // The next quota day: the series starts again, with the new resetsAt (a 24-hour day, PST).
    quota = await step(5 * MIN);
    expect(quota[0]!.resetsAt).toBe('2026-11-03T08:00:00.000Z');
    expect(quota[0]!.samples).toEqual([{ at: iso(clock.now()), used: 0 }]);
    await t.stop();
  }, 60_000);

  it('a quota event on a new day resets the series even before the next write', () => {
    const samples = new QuotaSamples();
    const base = { creatorId: 'alice', platform: 'youtube', daily: 10, buffer: 1, remaining: 5, status: 'ok' as const, timeZone: 'UTC' };
    samples.record({ ...base, used: 5, day: '2026-11-27', resetsAt: Date.UTC(2026, 10, 28) }, Date.UTC(2026, 10, 27, 23, 58));
    samples.record({ ...base, used: 1, day: '2026-11-28', resetsAt: Date.UTC(2026, 10, 29) }, Date.UTC(2026, 10, 28, 0, 1));
    expect(samples.rows()).toEqual([
      { creator: 'alice', platform: 'youtube', daily: 10, resetsAt: '2026-11-29T00:00:00.000Z', samples: [{ at: '2026-11-28T00:01:00.000Z', used: 1 }] },
    ]);
  });

  it("the body schema holds the shape (60 buckets, at most 289 samples) — the exporter refuses a body that breaks it", async () => {
    const schema = metricsSection(new ChatRate(), new QuotaSamples()).bodySchema as TSchema;
    const bucket = { at: '2026-11-27T12:00:00.000Z', messages: 0 };
    const good = { bucketMs: 60_000, chat: [{ creator: 'a', platform: 'twitch', buckets: Array(60).fill(bucket) }], quota: [] };
    expect(schemaProblems(schema, good)).toEqual([]);
    expect(schemaProblems(schema, { ...good, chat: [{ creator: 'a', platform: 'twitch', buckets: Array(59).fill(bucket) }] })).not.toEqual([]);
    const sample = { at: '2026-11-27T12:00:00.000Z', used: 1 };
    expect(schemaProblems(schema, { ...good, quota: [{ creator: 'a', platform: 'youtube', daily: 1, resetsAt: sample.at, samples: Array(290).fill(sample) }] })).not.toEqual([]);
  });
});
