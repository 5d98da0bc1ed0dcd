import type { BudgetState, PollObservation } from '../types.js';
import { ChatRateEstimator, type ChatRateSnapshot } from './rate.js';

const HOUR_MS = 3_600_000;

/**
 * Options of {@link BudgetGovernor}. Units are YouTube Data API quota units;
 * times are milliseconds.
 */
export interface BudgetGovernorOptions {
  /** How long the stream is expected to last, in hours. Default 8. */
  expectedStreamHours?: number;
  /** Quota cost of one `liveChatMessages.list` call. Default 5. */
  pollCost?: number;
  /**
   * Units polling never plans to spend: room for replies
   * (`liveChatMessages.insert`, 50 units) and live discovery (1 unit a
   * check). Default 500, the buffer of `YOUTUBE_QUOTA_DEFAULT`.
   */
  reserveUnits?: number;
  /**
   * The hard floor: polling never spends below this many units, so replies
   * and discovery always have them. Below it, polling stops until the
   * quota resets (the delay runs to `resetsAt`). Between this and
   * `reserveUnits` the governor only polls to hold `maxIntervalMs` when the
   * plan cannot. Default half of `reserveUnits`.
   */
  stopUnits?: number;
  /** The governor's own floor on the delay. Default 1,000. The server's `pollingIntervalMillis` is a floor too. */
  minIntervalMs?: number;
  /** The ceiling on the delay, unless the budget needs longer (see {@link BudgetDecision.budgetLimited}). Default 60,000. */
  maxIntervalMs?: number;
  /**
   * The shortest planning horizon. Once the stream is within this of its
   * expected end (or past it), the governor plans as if it runs at least
   * this much longer, so an overrunning stream keeps polling instead of
   * having burned the budget at the expected end. Default 1 hour.
   */
  minHorizonMs?: number;
  /** Units a quota day grants (after a reset). Default 10,000. */
  dailyUnits?: number;
  /** Length of a quota day. Default 24 hours. */
  quotaDayMs?: number;
  /** Bounds of the chat-activity factor that scales the planned interval. Default 0.5 (busy) .. 2 (quiet). */
  minActivityFactor?: number;
  maxActivityFactor?: number;
  /**
   * Exponent of the activity factor, `(slowRate / fastRate) ** exponent`.
   * Default 0.5: polling every `T` leaves a message waiting `T / 2` on
   * average, so for a fixed number of polls the total wait of `rate * T / 2`
   * is least when `T` is proportional to `1 / sqrt(rate)`.
   */
  activityExponent?: number;
  /** Time constant of the "chat now" rate average. Default 30 s. */
  fastTauMs?: number;
  /** Time constant of the "usual chat" rate average. Default 1 hour. */
  slowTauMs?: number;
  /** Rate (items/s) added to both averages before dividing, so near-silent chat does not swing the factor. Default 0.05. */
  rateFloorPerSec?: number;
  /**
   * The `maxResults` the poller asks for (200..2000; the API's default is
   * 500). A poll that returned this many items left more waiting, so the
   * next poll comes at the floor to catch up. Default 2,000.
   */
  pageSize?: number;
}

/** Which rule set the delay. */
export type BudgetMode =
  /** Normal: the budget-paced interval scaled by chat activity. */
  | 'paced'
  /** Units left are at or below `reserveUnits`: polling about every `maxIntervalMs` on the reserve, down to `stopUnits`. */
  | 'reserve'
  /** One more poll would take the units left below `stopUnits`: waiting for the quota reset. */
  | 'stopped';

/** Everything one {@link BudgetGovernor.decide} used and produced, for logs and status. */
export interface BudgetDecision {
  /** The state the decision was made from. */
  state: BudgetState;
  mode: BudgetMode;
  /** The delay before the next poll (ms). */
  delayMs: number;
  /** When the stream is planned to end: `max(streamStartedAt + expectedStreamHours, now + minHorizonMs)`. */
  horizonEnd: number;
  /** Until when the units left must last: `min(horizonEnd, resetsAt)` when the reset is still ahead. */
  planEnd: number;
  /** Units polling may spend until `planEnd`. */
  spendableUnits: number;
  /** Whether the stream started before the current quota day: the units left are the new day's, and only a pro-rata share is spent. */
  afterReset: boolean;
  /** Polls the spendable units pay for. */
  plannedPolls: number;
  /** The even spacing of those polls until `planEnd` (ms): `(planEnd - now) / plannedPolls`; `Infinity` when nothing is spendable. */
  baseIntervalMs: number;
  /** Chat activity: the rates (items/s) and the factor applied to the base interval (< 1 busy, > 1 quiet). */
  activity: ChatRateSnapshot & { factor: number };
  /** The floor applied: `max(minIntervalMs, serverMinIntervalMs)`. */
  floorMs: number;
  /** Units of the reserve (down to `stopUnits`) drawn on to hold `maxIntervalMs`; 0 while the plan alone pays for it. */
  bandUnits: number;
  /** The delay is above `maxIntervalMs` because the budget cannot pay for more polls (or polling stopped). */
  budgetLimited: boolean;
  /** One line for a log or a status page. */
  reason: string;
}

const positive = (name: string, value: number): number => {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`BudgetGovernor: ${name} must be a finite number > 0 (got ${value})`);
  return value;
};
const nonNegative = (name: string, value: number): number => {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`BudgetGovernor: ${name} must be a finite number ≥ 0 (got ${value})`);
  return value;
};
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Stretches the YouTube live-chat polling interval so the day's quota lasts
 * the stream (issue 8). `liveChatMessages.list` costs 5 of the 10,000 daily
 * units, so polling every 2 s runs dry in about 67 minutes.
 *
 * It is a feedback pacer. At every poll it re-plans from the units actually
 * left (so sends, discovery and its own past choices are all accounted for):
 *
 * 1. `spendable = remainingUnits - reserveUnits`, to be spread until
 *    `planEnd`: the expected end of the stream (at least `minHorizonMs`
 *    ahead), or the quota reset if that comes first (units left at the
 *    reset are lost anyway). After a reset in the middle of a stream, only
 *    the stream's pro-rata share of the new day is spendable
 *    (`(dailyUnits - reserveUnits) * timeLeft / expectedStreamHours`), so
 *    the tail of tonight's stream does not eat tomorrow's.
 * 2. `base = (planEnd - now) / (spendable / pollCost)`: even spacing.
 * 3. `delay = base * factor`, with `factor = (slowRate / fastRate) ** 0.5`
 *    clamped to 0.5..2, where the rates are time-weighted EWMAs of items
 *    per second over 30 s and 1 h: polls come faster while chat is busier
 *    than usual (most messages arrive in bursts, so this is where latency
 *    is won) and slower while it is quiet. Savings and overspending feed
 *    back into the next plan through `remainingUnits`.
 * 4. The delay never goes below `minIntervalMs` or the server's
 *    `pollingIntervalMillis`.
 * 5. When `base * factor` exceeds `maxIntervalMs` (the plan is short of
 *    units, or the units left are at or below the reserve), the governor
 *    polls every `maxIntervalMs`, drawing on the reserve down to
 *    `stopUnits`, and goes above `maxIntervalMs` only when even
 *    `(spendable + reserve - stopUnits) / pollCost` polls cannot hold it
 *    until `planEnd` (`budgetLimited` says so). The delay thus grows
 *    smoothly as the units run down; below `stopUnits` it waits for the
 *    reset.
 * 6. A poll that returned a full page (`pageSize` items) left a backlog:
 *    the next poll comes at the floor (while above the reserve).
 *
 * `nextDelayMs` is deterministic: it depends only on the state passed in and
 * the observations made so far (no clock, no randomness).
 *
 * @example
 * ```ts
 * const governor = new BudgetGovernor({ expectedStreamHours: 8, reserveUnits: 500 });
 * governor.observe({ at, items: page.items.length });
 * const delay = governor.nextDelayMs({ now, remainingUnits, resetsAt, streamStartedAt, serverMinIntervalMs });
 * log.debug(governor.explain());
 * ```
 */
export class BudgetGovernor {
  readonly expectedStreamMs: number;
  readonly pollCost: number;
  readonly reserveUnits: number;
  readonly stopUnits: number;
  readonly minIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly minHorizonMs: number;
  readonly dailyUnits: number;
  readonly quotaDayMs: number;
  readonly minActivityFactor: number;
  readonly maxActivityFactor: number;
  readonly activityExponent: number;
  readonly rateFloorPerSec: number;
  readonly pageSize: number;
  readonly #rates: ChatRateEstimator;
  #latest: PollObservation | undefined;
  #last: BudgetDecision | undefined;

  constructor(options: BudgetGovernorOptions = {}) {
    this.expectedStreamMs = positive('expectedStreamHours', options.expectedStreamHours ?? 8) * HOUR_MS;
    this.pollCost = positive('pollCost', options.pollCost ?? 5);
    this.reserveUnits = nonNegative('reserveUnits', options.reserveUnits ?? 500);
    this.stopUnits = nonNegative('stopUnits', options.stopUnits ?? this.reserveUnits / 2);
    this.minIntervalMs = nonNegative('minIntervalMs', options.minIntervalMs ?? 1000);
    this.maxIntervalMs = positive('maxIntervalMs', options.maxIntervalMs ?? 60_000);
    this.minHorizonMs = positive('minHorizonMs', options.minHorizonMs ?? HOUR_MS);
    this.dailyUnits = positive('dailyUnits', options.dailyUnits ?? 10_000);
    this.quotaDayMs = positive('quotaDayMs', options.quotaDayMs ?? 24 * HOUR_MS);
    this.minActivityFactor = positive('minActivityFactor', options.minActivityFactor ?? 0.5);
    this.maxActivityFactor = positive('maxActivityFactor', options.maxActivityFactor ?? 2);
    this.activityExponent = nonNegative('activityExponent', options.activityExponent ?? 0.5);
    this.rateFloorPerSec = positive('rateFloorPerSec', options.rateFloorPerSec ?? 0.05);
    this.pageSize = positive('pageSize', options.pageSize ?? 2000);
    if (this.minIntervalMs > this.maxIntervalMs) {
      throw new RangeError(`BudgetGovernor: minIntervalMs (${this.minIntervalMs}) must not exceed maxIntervalMs (${this.maxIntervalMs})`);
    }
    if (this.minActivityFactor > 1 || this.maxActivityFactor < 1) {
      throw new RangeError('BudgetGovernor: minActivityFactor must be ≤ 1 and maxActivityFactor ≥ 1');
    }
    if (this.stopUnits > this.reserveUnits) {
      throw new RangeError(`BudgetGovernor: stopUnits (${this.stopUnits}) must not exceed reserveUnits (${this.reserveUnits})`);
    }
    this.#rates = new ChatRateEstimator({
      fastTauMs: positive('fastTauMs', options.fastTauMs ?? 30_000),
      slowTauMs: positive('slowTauMs', options.slowTauMs ?? HOUR_MS),
    });
  }

  /** Record one completed poll: when it returned and how many new items it carried. */
  observe(observation: PollObservation): void {
    this.#rates.observe(observation);
    if (this.#latest === undefined || observation.at >= this.#latest.at) this.#latest = { at: observation.at, items: observation.items };
  }

  /** The delay (ms) before the next poll. Same as `decide(state).delayMs`. */
  nextDelayMs(state: BudgetState): number {
    return this.decide(state).delayMs;
  }

  /** The last decision (inputs, intermediate figures and output), or `undefined` before the first. */
  explain(): BudgetDecision | undefined {
    return this.#last;
  }

  /** The chat-activity factor from the observations so far (1 until there are two). */
  activityFactor(): ChatRateSnapshot & { factor: number } {
    const snapshot = this.#rates.snapshot();
    if (snapshot.fastRate === undefined || snapshot.slowRate === undefined) return { ...snapshot, factor: 1 };
    const ratio = (snapshot.slowRate + this.rateFloorPerSec) / (snapshot.fastRate + this.rateFloorPerSec);
    return { ...snapshot, factor: clamp(ratio ** this.activityExponent, this.minActivityFactor, this.maxActivityFactor) };
  }

  /** Plan the next poll from `state` and the observations so far, with the reasoning. Remembered for {@link explain}. */
  decide(state: BudgetState): BudgetDecision {
    const { now, remainingUnits, resetsAt, streamStartedAt } = state;
    const serverMin = Number.isFinite(state.serverMinIntervalMs) ? Math.max(0, state.serverMinIntervalMs) : 0;
    const floorMs = Math.max(this.minIntervalMs, serverMin);
    const activity = this.activityFactor();
    const horizonEnd = Math.max(streamStartedAt + this.expectedStreamMs, now + this.minHorizonMs);
    const resetAhead = resetsAt > now;
    const planEnd = resetAhead ? Math.min(horizonEnd, resetsAt) : horizonEnd;
    const timeLeft = planEnd - now;
    const afterReset = resetAhead && streamStartedAt < resetsAt - this.quotaDayMs;
    let spendableUnits = Math.max(0, remainingUnits - this.reserveUnits);
    if (afterReset) {
      const share = ((this.dailyUnits - this.reserveUnits) * timeLeft) / this.expectedStreamMs;
      spendableUnits = Math.min(spendableUnits, Math.max(0, share));
    }
    const plannedPolls = spendableUnits / this.pollCost;
    const baseIntervalMs = plannedPolls > 0 ? timeLeft / plannedPolls : Number.POSITIVE_INFINITY;
    const common = { state: { ...state }, horizonEnd, planEnd, spendableUnits, afterReset, plannedPolls, baseIntervalMs, activity, floorMs };
    const dayNote = afterReset ? ' (share of the new quota day)' : '';

    if (remainingUnits - this.pollCost < this.stopUnits) {
      const delayMs = Math.ceil(Math.max(floorMs, this.maxIntervalMs, resetAhead ? resetsAt - now : 0));
      return this.#remember({
        ...common, mode: 'stopped', delayMs, bandUnits: 0, budgetLimited: true,
        reason: `stopped: ${remainingUnits} units left; a poll would go below stopUnits ${this.stopUnits}; next poll ${resetAhead ? 'at the quota reset ' : ''}in ${seconds(delayMs)}`,
      });
    }
    if (this.#latest !== undefined && this.#latest.items >= this.pageSize && remainingUnits > this.reserveUnits) {
      const delayMs = Math.ceil(floorMs);
      return this.#remember({
        ...common, mode: 'paced', delayMs, bandUnits: 0, budgetLimited: false,
        reason: `catch-up: the last poll returned a full page (${this.#latest.items} items); next poll at the floor, ${seconds(delayMs)}`,
      });
    }
    const paced = baseIntervalMs * activity.factor;
    if (baseIntervalMs <= this.maxIntervalMs) {
      const delayMs = Math.ceil(Math.max(floorMs, Math.min(this.maxIntervalMs, paced)));
      const reason = `paced: ${Math.floor(spendableUnits)} units for ${seconds(timeLeft)}${dayNote}`
        + ` → every ${seconds(baseIntervalMs)} × activity ${activity.factor.toFixed(2)} = ${seconds(delayMs)}`
        + (paced < floorMs ? ` (floor ${seconds(floorMs)})` : paced > this.maxIntervalMs ? ' (maxIntervalMs)' : '');
      return this.#remember({ ...common, mode: 'paced', delayMs, bandUnits: 0, budgetLimited: false, reason });
    }
    // The plan alone cannot pay for a poll every maxIntervalMs: hold
    // maxIntervalMs (shorter while chat is busy) by drawing on the reserve
    // down to stopUnits, and stretch beyond it only when even that cannot
    // last until planEnd.
    const bandUnits = Math.max(0, Math.min(remainingUnits, this.reserveUnits) - this.stopUnits);
    const units = spendableUnits + bandUnits;
    const stretchedMs = units > 0 ? timeLeft / (units / this.pollCost) : timeLeft;
    const delayMs = Math.ceil(Math.max(floorMs, stretchedMs, Math.min(this.maxIntervalMs, paced)));
    const budgetLimited = delayMs > this.maxIntervalMs && delayMs > floorMs;
    const mode: BudgetMode = remainingUnits <= this.reserveUnits ? 'reserve' : 'paced';
    const reason = (mode === 'reserve'
      ? `reserve: ${remainingUnits} units left ≤ reserveUnits ${this.reserveUnits}`
      : `paced: ${Math.floor(spendableUnits)} units for ${seconds(timeLeft)}${dayNote} pay for a poll every ${seconds(baseIntervalMs)} only`)
      + `; drawing on the reserve down to stopUnits ${this.stopUnits}: every ${seconds(delayMs)}`
      + (budgetLimited ? ` (above maxIntervalMs ${seconds(this.maxIntervalMs)}: ${Math.floor(units)} units cannot pay for more polls in ${seconds(timeLeft)})` : '');
    return this.#remember({ ...common, mode, delayMs, bandUnits, budgetLimited, reason });
  }

  #remember(decision: BudgetDecision): BudgetDecision {
    this.#last = decision;
    return decision;
  }
}
