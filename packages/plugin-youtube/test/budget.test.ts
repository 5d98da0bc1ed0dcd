import { describe, expect, it } from 'vitest';
import type { BudgetState } from '../src/types.js';
import { BudgetGovernor, type BudgetGovernorOptions } from '../src/budget/governor.js';
import { ChatRateEstimator } from '../src/budget/rate.js';
import { DEFAULT_CHAT_MODEL, fixedIntervalStrategy, generateChat, type SimulationResult, simulateStream } from '../src/budget/simulate.js';
import { mulberry32 } from '../src/budget/prng.js';
import { BUDGET_DEFAULTS, creatorConfigSchema } from '../src/config.js';

const H = 3_600_000;
const START = 1_800_000_000_000;
const OPTIONS: BudgetGovernorOptions = { expectedStreamHours: 8, pollCost: 5, reserveUnits: 500, minIntervalMs: 1000, maxIntervalMs: 60_000 };

const state = (overrides: Partial<BudgetState> = {}): BudgetState => ({
  now: START,
  remainingUnits: 10_000,
  resetsAt: START + 14 * H,
  streamStartedAt: START,
  serverMinIntervalMs: 2000,
  ...overrides,
});

/** Feed `governor` polls every `everyMs` from `from` for `forMs` at `rate` items/s; returns the time after the last. */
function feed(governor: BudgetGovernor, from: number, forMs: number, rate: number, everyMs = 10_000): number {
  let t = from;
  for (; t < from + forMs; t += everyMs) governor.observe({ at: t, items: Math.round((rate * everyMs) / 1000) });
  return t;
}

describe('BudgetGovernor', () => {
  it('spreads the spendable units evenly over the expected stream before it has seen any chat', () => {
    const governor = new BudgetGovernor(OPTIONS);
    // (10,000 - 500) / 5 = 1,900 polls in 8 h → one every 15.16 s.
    expect(governor.nextDelayMs(state())).toBe(Math.ceil((8 * H) / 1900));
    const decision = governor.explain()!;
    expect(decision).toMatchObject({ mode: 'paced', spendableUnits: 9500, plannedPolls: 1900, planEnd: START + 8 * H, budgetLimited: false });
    expect(decision.activity.factor).toBe(1);
    // Halfway through with half the units: the same pace.
    expect(governor.nextDelayMs(state({ now: START + 4 * H, remainingUnits: 5250 }))).toBe(Math.ceil((4 * H) / 950));
  });

  it('never goes below the server floor or minIntervalMs', () => {
    const rich = state({ remainingUnits: 10_000, now: START + 7.9 * H, serverMinIntervalMs: 4500 });
    expect(new BudgetGovernor(OPTIONS).nextDelayMs(rich)).toBe(4500);
    expect(new BudgetGovernor({ ...OPTIONS, minIntervalMs: 6000 }).nextDelayMs({ ...rich, serverMinIntervalMs: 0 })).toBe(6000);
    const governor = new BudgetGovernor(OPTIONS);
    governor.nextDelayMs(rich);
    expect(governor.explain()!.reason).toContain('floor');
  });

  it('polls faster while chat is busier than usual and slower while it is quiet, within 0.5..2', () => {
    // The bounds this test was written for (the defaults until issue 22); the defaults are tested below.
    const OPTIONS_05_2: BudgetGovernorOptions = { ...OPTIONS, minActivityFactor: 0.5, maxActivityFactor: 2 };
    const base = Math.ceil((8 * H) / 1900);
    const busy = new BudgetGovernor(OPTIONS_05_2);
    let t = feed(busy, START, H, 1); // an hour of 1 msg/s
    feed(busy, t, 90_000, 15); // a 90 s raid at 15 msg/s
    const busyDelay = busy.nextDelayMs(state());
    expect(busyDelay).toBeLessThan(base * 0.7);
    expect(busyDelay).toBeGreaterThanOrEqual(Math.floor(base * 0.5));

    const quiet = new BudgetGovernor(OPTIONS_05_2);
    t = feed(quiet, START, H, 1);
    feed(quiet, t, 10 * 60_000, 0); // ten silent minutes
    const quietDelay = quiet.nextDelayMs(state());
    expect(quietDelay).toBeGreaterThan(base * 1.5);
    expect(quietDelay).toBeLessThanOrEqual(Math.ceil(base * 2));

    const steady = new BudgetGovernor(OPTIONS_05_2);
    feed(steady, START, 2 * H, 1);
    expect(steady.nextDelayMs(state())).toBe(base);
  });

  it('caps the delay at maxIntervalMs while the budget pays for more, and says when the budget needs longer', () => {
    // Quiet chat with a plan of 40 s: 2 × 40 s is capped at 60 s.
    const quiet = new BudgetGovernor(OPTIONS);
    feed(quiet, START, H, 1);
    feed(quiet, START + H, 10 * 60_000, 0);
    const units = 500 + (8 * H) / 40_000 * 5; // 720 polls of 5 units for 8 h
    expect(quiet.nextDelayMs(state({ remainingUnits: units }))).toBe(60_000);
    expect(quiet.explain()!.budgetLimited).toBe(false);

    // 1,000 units for 8 h: 1,000 - 250 (down to stopUnits) = 150 polls → 192 s each.
    const poor = new BudgetGovernor(OPTIONS);
    expect(poor.nextDelayMs(state({ remainingUnits: 1000 }))).toBe(192_000);
    expect(poor.explain()).toMatchObject({ mode: 'paced', budgetLimited: true, bandUnits: 250 });
    expect(poor.explain()!.reason).toContain('above maxIntervalMs');

    // 1,500 units: the plan alone (200 polls) needs 144 s, with the reserve band (250 polls) 115.2 s.
    expect(poor.nextDelayMs(state({ remainingUnits: 1500 }))).toBe(115_200);
    // 2,700 units: the plan alone needs 65.5 s; with the band 58.8 s, so it holds maxIntervalMs.
    expect(poor.decide(state({ remainingUnits: 2700 }))).toMatchObject({ delayMs: 60_000, budgetLimited: false, bandUnits: 250 });
    // 3,000 units: the plan pays for 57.6 s by itself.
    expect(poor.decide(state({ remainingUnits: 3000 }))).toMatchObject({ delayMs: 57_600, bandUnits: 0 });
  });

  it('polls about every maxIntervalMs on the reserve, then stops until the reset', () => {
    const governor = new BudgetGovernor(OPTIONS);
    // 450 units left, 1 h to plan: (450 - 250) / 5 = 40 polls → 90 s.
    const reserve = governor.decide(state({ now: START + 7.5 * H, remainingUnits: 450 }));
    expect(reserve).toMatchObject({ mode: 'reserve', delayMs: 90_000, budgetLimited: true });
    // With a long plan the reserve trickles at maxIntervalMs ... or slower.
    expect(governor.decide(state({ now: START + 7.99 * H, remainingUnits: 499 })).delayMs).toBeGreaterThanOrEqual(60_000);
    // One more poll would go below stopUnits (250): wait for the quota reset.
    const stopped = governor.decide(state({ now: START + 9 * H, remainingUnits: 254 }));
    expect(stopped).toMatchObject({ mode: 'stopped', delayMs: 5 * H, budgetLimited: true });
    expect(governor.explain()!.reason).toContain('quota reset');
    // Zero units, stale resetsAt: no crash, a long delay.
    expect(governor.nextDelayMs(state({ remainingUnits: 0, resetsAt: START - 1 }))).toBe(60_000);
  });

  it('plans only until the quota reset when it comes before the expected end', () => {
    const governor = new BudgetGovernor(OPTIONS);
    // The stream started 2 h ago; the reset is in 2 h; 3,000 units left: 2,500 / 5 = 500 polls in 2 h.
    const decision = governor.decide(state({ now: START + 2 * H, remainingUnits: 3000, resetsAt: START + 4 * H }));
    expect(decision.planEnd).toBe(START + 4 * H);
    expect(decision.delayMs).toBe(Math.ceil((2 * H) / 500));
  });

  it("after a reset mid-stream, spends only the stream's share of the new day", () => {
    const governor = new BudgetGovernor(OPTIONS);
    // The stream started 7 h ago, the quota reset 3 h ago (next reset in 21 h): 1 h of the 8 left.
    const decision = governor.decide(state({ now: START + 7 * H, remainingUnits: 9000, resetsAt: START + 25 * H }));
    expect(decision.afterReset).toBe(true);
    // Share: 9,500 × 1 h / 8 h = 1,187.5 units → the nominal pace of 15.16 s, not 9,000 units in an hour.
    expect(decision.spendableUnits).toBeCloseTo(1187.5);
    expect(decision.delayMs).toBe(Math.ceil((8 * H) / 1900));
    expect(decision.reason).toContain('share of the new quota day');
  });

  it('keeps at least an hour ahead when the stream outlives expectedStreamHours', () => {
    const governor = new BudgetGovernor(OPTIONS);
    // Two hours over, 1,500 units left: 1,000 spendable over the next hour → 200 polls → 18 s, not the floor.
    const decision = governor.decide(state({ now: START + 10 * H, remainingUnits: 1500 }));
    expect(decision.horizonEnd).toBe(START + 11 * H);
    expect(decision.delayMs).toBe(18_000);
    // Near the expected end the horizon is already an hour out, so nothing is burned in the last minutes.
    expect(governor.decide(state({ now: START + 8 * H - 60_000, remainingUnits: 1500 })).planEnd).toBe(START + 9 * H - 60_000);
  });

  it('catches up at the floor after a full page', () => {
    const governor = new BudgetGovernor({ ...OPTIONS, pageSize: 500 });
    governor.observe({ at: START, items: 3 });
    governor.observe({ at: START + 15_000, items: 500 });
    expect(governor.decide(state({ now: START + 15_000 }))).toMatchObject({ delayMs: 2000, mode: 'paced' });
    expect(governor.explain()!.reason).toContain('catch-up');
    governor.observe({ at: START + 17_000, items: 40 });
    expect(governor.nextDelayMs(state({ now: START + 17_000 }))).toBeGreaterThan(2000);
  });

  it('is deterministic: the same observations and state give the same delay', () => {
    const run = () => {
      const governor = new BudgetGovernor(OPTIONS);
      feed(governor, START, H, 0.8, 7000);
      feed(governor, START + H, 60_000, 12, 3000);
      return [governor.nextDelayMs(state({ now: START + H + 60_000, remainingUnits: 8000 })), governor.nextDelayMs(state({ now: START + H + 60_000, remainingUnits: 8000 }))];
    };
    const [a, b] = run();
    expect(a).toBe(b);
    expect(run()).toEqual([a, b]);
  });

  it('plans a 12-hour stream by default, as the plugin config does (issue 22)', () => {
    expect(BUDGET_DEFAULTS.expectedStreamHours).toBe(12);
    expect((creatorConfigSchema.properties.budget.properties.expectedStreamHours as { default?: unknown }).default).toBe(12);
    const governor = new BudgetGovernor();
    expect(governor.expectedStreamMs).toBe(12 * H);
    // (10,000 - 500) / 5 = 1,900 polls in 12 h → one every 22.74 s.
    expect(governor.decide(state())).toMatchObject({ delayMs: Math.ceil((12 * H) / 1900), planEnd: START + 12 * H, plannedPolls: 1900 });
  });

  it('by default reacts to chat within 0.25..4 of the planned interval', () => {
    const base = Math.ceil((8 * H) / 1900);
    const busy = new BudgetGovernor(OPTIONS);
    feed(busy, feed(busy, START, H, 1), 90_000, 15); // an hour of 1 msg/s, then a 90 s raid at 15 msg/s
    const busyDelay = busy.nextDelayMs(state());
    expect(busyDelay).toBeLessThan(base * 0.4); // the earlier bounds stopped at 0.5
    expect(busyDelay).toBeGreaterThanOrEqual(Math.floor(base * 0.25));

    const quiet = new BudgetGovernor(OPTIONS);
    feed(quiet, feed(quiet, START, H, 1), 10 * 60_000, 0); // ten silent minutes
    const quietDelay = quiet.nextDelayMs(state());
    expect(quietDelay).toBeGreaterThan(base * 3); // the earlier bounds stopped at 2
    expect(quietDelay).toBeLessThanOrEqual(Math.ceil(base * 4));
  });

  it('balances the activity factor: half of what slowing down saves by itself is spent again (activityBalance)', () => {
    const run = (activityBalance: number) => {
      const governor = new BudgetGovernor({ ...OPTIONS, activityBalance });
      expect(governor.activityFactor().balance).toBe(1); // nothing seen yet
      feed(governor, feed(governor, START, H, 1), 20 * 60_000, 0); // an hour of chat, twenty quiet minutes
      return governor.activityFactor();
    };
    const [none, half, full] = [run(0), run(0.5), run(1)];
    expect(none.balance).toBe(1);
    // The quiet minutes were paced 4 times slower than planned: the average pace is below 1.
    expect(full.balance).toBeLessThan(0.9);
    expect(half.balance).toBeCloseTo(Math.sqrt(full.balance), 10);
    expect(full.factor).toBeLessThan(half.factor);
    expect(half.factor).toBeLessThan(none.factor);
    // Over a whole stream of heavy bursts: the raw factor leaves units unspent, the balanced one spends them.
    const units = (activityBalance: number) =>
      simulateStream(new BudgetGovernor({ ...OPTIONS, pageSize: 500, activityBalance }), { seed: 4, maxResults: 500, chat: { burstRate: [30, 60] }, overLimit: 'count' }).unitsUsed;
    const [u0, u05, u1] = [units(0), units(0.5), units(1)];
    expect(u0).toBeLessThan(u05);
    expect(u05).toBeLessThan(u1);
    expect(u1).toBeLessThanOrEqual(10_000);
  });

  it('rejects nonsensical options', () => {
    expect(() => new BudgetGovernor({ activityBalance: 1.5 })).toThrow(/activityBalance/);
    expect(() => new BudgetGovernor({ activityBalance: -0.1 })).toThrow(/activityBalance/);
    expect(() => new BudgetGovernor({ pollCost: 0 })).toThrow(RangeError);
    expect(() => new BudgetGovernor({ minIntervalMs: 5000, maxIntervalMs: 1000 })).toThrow(/minIntervalMs/);
    expect(() => new BudgetGovernor({ reserveUnits: 100, stopUnits: 200 })).toThrow(/stopUnits/);
    expect(() => new BudgetGovernor({ expectedStreamHours: Number.NaN })).toThrow(/expectedStreamHours/);
    expect(() => new BudgetGovernor({ minActivityFactor: 1.5 })).toThrow(/ActivityFactor/);
  });
});

describe('ChatRateEstimator', () => {
  it('ignores the first (backlog) observation and averages by time covered', () => {
    const rates = new ChatRateEstimator({ fastTauMs: 30_000, slowTauMs: H });
    rates.observe({ at: 0, items: 5000 });
    expect(rates.snapshot()).toEqual({ fastRate: undefined, slowRate: undefined, samples: 0 });
    rates.observe({ at: 10_000, items: 10 });
    expect(rates.snapshot()).toMatchObject({ fastRate: 1, slowRate: 1, samples: 1 });
    rates.observe({ at: 70_000, items: 600 }); // 10 msg/s for a minute
    const { fastRate, slowRate } = rates.snapshot();
    expect(fastRate!).toBeGreaterThan(8);
    expect(slowRate!).toBeGreaterThan(8); // bias-corrected: still the time-weighted mean of what was seen
    rates.observe({ at: 70_000, items: 0 }); // same instant: counts as 1 ms
    expect(rates.snapshot().samples).toBe(3);
  });
});

/**
 * The simulator pays for a spend past the day's 10,000 units instead of
 * refusing it, and counts it (issue 14): with its default refusal, "within
 * 10,000 units" held whatever the governor did. Now it is the governor's doing.
 */
const COUNT = { overLimit: 'count' } as const;

/**
 * Nothing past the day's units, and not far under them either: a governor
 * that stops early (or never spends) fails too. 8,500 units: the governor
 * plans 9,500 (10,000 less the 500 reserve) and the runs below end between
 * 8,771 and 9,579 units (replies and discovery included), so the bound
 * holds with 270+ units (50+ polls) of margin and a governor that stops an
 * hour early (about 1,100 units) falls below it.
 */
function expectWithinTheDay(result: SimulationResult): void {
  expect(result.overLimitSpends).toBe(0);
  expect(result.overLimitUnits).toBe(0);
  expect(Math.max(...result.unitsByDay)).toBeLessThanOrEqual(10_000);
  expect(result.unitsUsed).toBeGreaterThanOrEqual(8500);
}

// Broken on purpose to see these fail (issue 14): BudgetGovernor.nextDelayMs planned with 1,500
// more units than the state said (`decide({ ...state, remainingUnits: state.remainingUnits + 1500 })`,
// a governor misreading the tracker). With the simulator refusing past the day, every
// `unitsUsed <= 10,000` still held: "beats the flat pacer" passed, and the others failed only on side
// effects (coverage, missed messages). With COUNT each simulateStream test that checks the budget
// failed on overLimitSpends (21 to 196 spends past the day).
describe('simulateStream', () => {
  const SEEDS = [1, 2, 3, 4, 5, 6];
  const governor = () => new BudgetGovernor(OPTIONS);

  it.each(SEEDS)('Done when: a simulated 8-hour stream with bursty chat finishes within 10,000 units (seed %i)', (seed) => {
    const result = simulateStream(governor(), { seed, streamHours: 8, ...COUNT });
    expectWithinTheDay(result);
    expect(result.unitsUsed).toBeLessThanOrEqual(10_000);
    expect(result.coveredHours).toBeGreaterThanOrEqual(8);
    expect(result.medianLatencyS).toBeLessThanOrEqual(10);
    expect(result.missed).toBe(0);
    expect(result.minRemainingUnits).toBeGreaterThanOrEqual(500 - 60); // the reserve is left for sends (less a reply or so)
    expect(result.messages).toBeGreaterThan(20_000);
  });

  it.each([
    ['bursts every 30 minutes', { burstEveryMs: 30 * 60_000 }],
    ['no bursts at all', { burstEveryMs: Number.POSITIVE_INFINITY }],
  ])('meets the goals with less bursty chat too (%s)', (_, chat) => {
    for (const seed of [1, 2]) {
      const result = simulateStream(governor(), { seed, chat, ...COUNT });
      expectWithinTheDay(result);
      expect(result.coveredHours).toBe(8);
      expect(result.medianLatencyS).toBeLessThanOrEqual(10);
    }
  });

  it('fixed 2 s polling runs dry in about 67 minutes on the same stream', () => {
    const result = simulateStream(fixedIntervalStrategy(2000), { seed: 1 });
    expect(result.coveredHours).toBeGreaterThan(1);
    expect(result.coveredHours).toBeLessThan(1.2);
    expect(result.unitsUsed).toBe(10_000);
    expect(result.missed).toBeGreaterThan(result.messages / 2);
    expect(result.medianLatencyS).toBe(Number.POSITIVE_INFINITY);
    // Where the simulator does not refuse, the same strategy shows as what it is: far past the day.
    expect(simulateStream(fixedIntervalStrategy(2000), { seed: 1, ...COUNT }).overLimitUnits).toBeGreaterThan(10_000);
  });

  it('beats the flat (activity-blind) pacer on latency with the same budget', () => {
    for (const seed of [1, 2, 3]) {
      const adaptive = simulateStream(governor(), { seed, ...COUNT });
      const flat = simulateStream(new BudgetGovernor({ ...OPTIONS, activityExponent: 0 }), { seed, ...COUNT });
      expect(adaptive.medianLatencyS).toBeLessThan(flat.medianLatencyS * 0.75);
      expectWithinTheDay(adaptive);
      expectWithinTheDay(flat);
    }
  });

  it('is deterministic for a seed', () => {
    expect(simulateStream(governor(), { seed: 7 })).toEqual(simulateStream(governor(), { seed: 7 }));
    expect(simulateStream(governor(), { seed: 7 })).not.toEqual(simulateStream(governor(), { seed: 8 }));
  });

  it('keeps within each day when the quota resets mid-stream', () => {
    const result = simulateStream(governor(), { seed: 3, resetAfterHours: 4, ...COUNT });
    expect(result.unitsByDay).toHaveLength(2);
    expectWithinTheDay(result);
    expect(result.unitsByDay[1]!).toBeLessThan(9500 * 0.6); // the tail took its share, not the whole new day
    expect(result.coveredHours).toBe(8);
    expect(result.medianLatencyS).toBeLessThanOrEqual(10);
  });

  it('keeps polling through a 2-hour overrun of the expected 8 hours', () => {
    const result = simulateStream(governor(), { seed: 2, streamHours: 10, ...COUNT });
    expect(result.coveredHours).toBeGreaterThanOrEqual(9.5);
    expectWithinTheDay(result);
    expect(result.unitsUsed).toBeLessThanOrEqual(10_000);
    expect(result.maxGapS).toBeLessThanOrEqual(300);
  });

  it('catches up with full pages in very heavy bursts', () => {
    const result = simulateStream(new BudgetGovernor({ ...OPTIONS, pageSize: 500 }), { seed: 4, maxResults: 500, chat: { burstRate: [30, 60] }, ...COUNT });
    expect(result.missed).toBe(0);
    expect(result.medianLatencyS).toBeLessThanOrEqual(10);
    expectWithinTheDay(result);
  });

  it('generates bursty chat: quiet, normal and burst stretches at the modelled rates', () => {
    const { segments, messages } = generateChat(mulberry32(1), 8 * H, DEFAULT_CHAT_MODEL);
    const bursts = segments.filter((s) => s.kind === 'burst');
    expect(bursts.length).toBeGreaterThan(20);
    expect(bursts.every((s) => s.rate >= 5 && s.rate <= 20 && s.end - s.start <= 180_000)).toBe(true);
    expect(segments.some((s) => s.kind === 'quiet')).toBe(true);
    expect([...messages].every((t, i, a) => t >= 0 && t < 8 * H && (i === 0 || a[i - 1]! <= t))).toBe(true);
    const inBursts = [...messages].filter((t) => bursts.some((s) => s.start <= t && t < s.end)).length;
    expect(inBursts / messages.length).toBeGreaterThan(0.4); // most of the chat volume comes in bursts
  });
});

/** The governor a creator gets from the plugin's config defaults (12 h, reserve 600). */
const pluginGovernor = (overrides: BudgetGovernorOptions = {}) => new BudgetGovernor({ ...BUDGET_DEFAULTS, pollCost: 5, ...overrides });

describe('simulateStream, 12 hours on 10,000 units (issue 22)', () => {
  it.each([1, 2, 3, 4, 5, 6])('Done when: a 12-hour stream of bursty chat is covered with a median latency ≤ 8 s, within the day (seed %i)', (seed) => {
    const result = simulateStream(pluginGovernor(), { seed, streamHours: 12, ...COUNT });
    expectWithinTheDay(result);
    expect(result.coveredHours).toBe(12);
    expect(result.medianLatencyS).toBeLessThanOrEqual(8);
    expect(result.missed).toBe(0);
    expect(result.maxGapS).toBeLessThanOrEqual(60);
    expect(result.minRemainingUnits).toBeGreaterThanOrEqual(BUDGET_DEFAULTS.reserveUnits - 60); // the reserve is left for replies
    expect(result.messages).toBeGreaterThan(80_000);
  });

  it('the earlier default (8 hours) runs dry on the same 12-hour stream', () => {
    const result = simulateStream(pluginGovernor({ expectedStreamHours: 8 }), { seed: 1, streamHours: 12, ...COUNT });
    expect(result.overLimitSpends).toBe(0);
    expect(result.coveredHours).toBeLessThan(11);
    expect(result.missed).toBeGreaterThan(1000);
  });

  it('keeps reading through a 2-hour overrun of the expected 12 hours', () => {
    for (const seed of [1, 2]) {
      const result = simulateStream(pluginGovernor(), { seed, streamHours: 14, ...COUNT });
      expect(result.coveredHours).toBe(14);
      expect(result.missed).toBe(0);
      expect(result.maxGapS).toBeLessThanOrEqual(300);
      expect(result.overLimitSpends).toBe(0);
      expect(Math.max(...result.unitsByDay)).toBeLessThanOrEqual(10_000);
    }
  });

  it.each([1, 2, 3])('streamList: median latency ≤ 1 s while a connection is open; the reconnections cover 12 h within the day (seed %i)', (seed) => {
    const result = simulateStream(pluginGovernor(), { seed, streamHours: 12, transport: 'stream', ...COUNT });
    expectWithinTheDay(result);
    expect(result.coveredHours).toBe(12);
    expect(result.missed).toBe(0);
    const stream = result.stream!;
    expect(stream.openMedianLatencyS).toBeLessThanOrEqual(1);
    expect(stream.openMedianLatencyS).toBeGreaterThanOrEqual(0.2); // the push delay, never less
    expect(stream.connections).toBe(result.polls);
    // Connections of about 10 s, paced by the governor: open a good part of the time, busy chat most of all.
    expect(stream.openTimeShare).toBeGreaterThan(0.2);
    expect(stream.openShare).toBeGreaterThan(stream.openTimeShare);
    expect(result.medianLatencyS).toBeLessThan(simulateStream(pluginGovernor(), { seed, streamHours: 12, ...COUNT }).medianLatencyS);
  });

  it('streamList: a server that closes at once is paced like polling, one that keeps a connection open pays only for its openings', () => {
    const closing = simulateStream(pluginGovernor(), { seed: 1, streamHours: 12, transport: 'stream', streamOpenMs: [0, 0], ...COUNT });
    expectWithinTheDay(closing);
    expect(closing.coveredHours).toBe(12);
    expect(closing.stream!.openShare).toBe(0);
    expect(closing.medianLatencyS).toBeLessThanOrEqual(8);
    const lasting = simulateStream(pluginGovernor(), { seed: 1, streamHours: 12, transport: 'stream', streamOpenMs: [H, H], ...COUNT });
    expect(lasting.stream!.connections).toBe(12);
    expect(lasting.unitsUsed).toBe(12 * 5 + 12 * 50 + 47); // 12 openings, 12 replies, 47 discovery checks
    expect(lasting.coveredHours).toBe(12);
    expect(lasting.medianLatencyS).toBeLessThanOrEqual(1);
  });

  it('streamList runs are deterministic; polling runs carry no stream figures', () => {
    expect(simulateStream(pluginGovernor(), { seed: 5, transport: 'stream' })).toEqual(simulateStream(pluginGovernor(), { seed: 5, transport: 'stream' }));
    expect(simulateStream(pluginGovernor(), { seed: 5 }).stream).toBeUndefined();
  });
});
