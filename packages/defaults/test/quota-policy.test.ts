import { describe, expect, it } from 'vitest';
import { EventBus, systemClock } from '@streamsuites/kernel';
import { localDay, nextLocalMidnight } from '../src/quota/day.js';
import { validateQuotaPolicy } from '../src/quota/policy.js';
import { createQuotaRegistry } from '../src/quota/registry.js';
import { TestStateStore } from './helpers/quota-store.js';

const registry = () => createQuotaRegistry({ store: new TestStateStore(), bus: new EventBus(), clock: systemClock });

describe('validateQuotaPolicy', () => {
  it('accepts valid policies', () => {
    expect(validateQuotaPolicy({ daily: 10_000 })).toEqual([]);
    expect(validateQuotaPolicy({ daily: 10_000, buffer: 0, timeZone: 'America/Los_Angeles' })).toEqual([]);
    expect(validateQuotaPolicy({ daily: 1, buffer: 0, timeZone: 'utc' })).toEqual([]);
  });

  it.each([
    [{ daily: 0 }, ['daily: must be an integer ≥ 1 (got 0)']],
    [{ daily: -5 }, ['daily: must be an integer ≥ 1 (got -5)']],
    [{ daily: 2.5 }, ['daily: must be an integer ≥ 1 (got 2.5)']],
    [{ daily: '100' }, ['daily: must be an integer ≥ 1 (got "100")']],
    [{}, ['daily: must be an integer ≥ 1 (got nothing)']],
    [{ daily: 100, buffer: 100 }, ['buffer: must be less than daily (100), got 100']],
    [{ daily: 100, buffer: -1 }, ['buffer: must be an integer ≥ 0 (got -1)']],
    [{ daily: 100, buffer: 0.5 }, ['buffer: must be an integer ≥ 0 (got 0.5)']],
    [{ daily: 100, timeZone: 'Mars/Olympus' }, ['timeZone: unknown time zone "Mars/Olympus" (use an IANA name such as America/Los_Angeles)']],
    [{ daily: 100, timeZone: '' }, ['timeZone: must be an IANA time zone name (got "")']],
    [{ daily: 100, limit: 5 }, ['limit: unknown key "limit"']],
    [null, ['must be an object { daily, buffer?, timeZone? }']],
  ])('reports %j', (policy, problems) => {
    expect(validateQuotaPolicy(policy)).toEqual(problems);
  });

  it('reports every problem at once', () => {
    expect(validateQuotaPolicy({ daily: 0, buffer: -1, timeZone: 'Nowhere/Land' })).toHaveLength(3);
  });
});

describe('quota policy and charge errors', () => {
  it('configure() refuses an invalid policy with SS_ERR_QUOTA_POLICY_INVALID and path-like details', () => {
    const error = (() => {
      try {
        registry().configure('daniel', 'youtube', { daily: 100, buffer: 200, timeZone: 'Mars/Olympus' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      code: 'SS_ERR_QUOTA_POLICY_INVALID',
      details: {
        path: 'creators.daniel.quotas.youtube',
        problems: [
          { path: 'creators.daniel.quotas.youtube.buffer', message: 'must be less than daily (100), got 200' },
          { path: 'creators.daniel.quotas.youtube.timeZone', message: expect.stringContaining('Mars/Olympus') },
        ],
      },
    });
    expect((error as Error).message).toMatch(/^creators\.daniel\.quotas\.youtube: invalid quota policy: buffer: /);
    expect((error as { hint?: string }).hint).toContain('IANA');
  });

  it('tracker() refuses an invalid plugin policy, and a platform without any policy', () => {
    const r = registry();
    expect(() => r.tracker('daniel', 'youtube', { daily: 0 })).toThrow(expect.objectContaining({ code: 'SS_ERR_QUOTA_POLICY_INVALID' }));
    expect(() => r.tracker('daniel', 'rumble')).toThrow(
      expect.objectContaining({ code: 'SS_ERR_QUOTA_POLICY_MISSING', details: { creatorId: 'daniel', platform: 'rumble' } }),
    );
  });

  it('charge() and canSpend() reject negative, fractional and non-numeric units with SS_ERR_QUOTA_UNITS_INVALID', async () => {
    const yt = registry().tracker('daniel', 'youtube', { daily: 100 });
    for (const units of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      await expect(yt.charge(units)).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_UNITS_INVALID', details: { units: String(units) } });
      await expect(yt.canSpend(units)).rejects.toMatchObject({ code: 'SS_ERR_QUOTA_UNITS_INVALID' });
    }
    await yt.charge(0);
    expect((await yt.snapshot()).used).toBe(0);
  });
});

describe('nextLocalMidnight', () => {
  const next = (timeZone: string, at: string) => new Date(nextLocalMidnight(Date.parse(at), timeZone)).toISOString();

  it.each([
    // [zone, now, next day starts at, why]
    ['America/Los_Angeles', '2025-03-09T08:30:00Z', '2025-03-10T07:00:00.000Z', 'spring forward, before the jump'],
    ['America/Los_Angeles', '2025-03-09T12:00:00Z', '2025-03-10T07:00:00.000Z', 'spring forward, after the jump'],
    ['America/Los_Angeles', '2025-11-02T07:00:00Z', '2025-11-03T08:00:00.000Z', 'fall back, before'],
    ['America/Los_Angeles', '2025-11-02T09:30:00Z', '2025-11-03T08:00:00.000Z', 'fall back, in the repeated hour'],
    ['America/Los_Angeles', '2025-03-10T06:59:59.999Z', '2025-03-10T07:00:00.000Z', 'one ms before midnight'],
    ['America/Los_Angeles', '2025-03-10T07:00:00.000Z', '2025-03-11T07:00:00.000Z', 'exactly at midnight'],
    ['America/Santiago', '2025-09-06T12:00:00Z', '2025-09-07T04:00:00.000Z', 'midnight does not exist: the day starts at 01:00'],
    ['America/Santiago', '2025-04-05T12:00:00Z', '2025-04-06T04:00:00.000Z', 'fall back at midnight: a 25-hour day'],
    ['Australia/Lord_Howe', '2025-10-04T12:00:00Z', '2025-10-04T13:30:00.000Z', 'half-hour offset'],
    ['Asia/Kolkata', '2025-06-01T00:00:00Z', '2025-06-01T18:30:00.000Z', 'half-hour offset, no DST'],
    ['Pacific/Apia', '2011-12-29T12:00:00Z', '2011-12-30T10:00:00.000Z', 'Samoa skipped 30 December 2011'],
    ['UTC', '2025-06-01T23:59:59.999Z', '2025-06-02T00:00:00.000Z', 'UTC'],
  ])('%s at %s -> %s (%s)', (zone, at, expected) => {
    const result = nextLocalMidnight(Date.parse(at), zone);
    expect(new Date(result).toISOString()).toBe(expected);
    // The result is the first instant of a later local date.
    expect(localDay(result, zone) > localDay(Date.parse(at), zone)).toBe(true);
    expect(localDay(result - 1, zone)).toBe(localDay(Date.parse(at), zone));
  });

  it('every day of 2025 in Los Angeles is 24 hours long except the two DST days', () => {
    const lengths = new Map<number, number>();
    let start = Date.parse('2025-01-01T08:00:00Z'); // midnight PST
    for (let i = 0; i < 365; i++) {
      const end = nextLocalMidnight(start, 'America/Los_Angeles');
      const hours = (end - start) / 3_600_000;
      lengths.set(hours, (lengths.get(hours) ?? 0) + 1);
      start = end;
    }
    expect(Object.fromEntries(lengths)).toEqual({ 23: 1, 24: 363, 25: 1 });
    expect(next('America/Los_Angeles', '2025-12-31T12:00:00Z')).toBe('2026-01-01T08:00:00.000Z');
  });
});
