import type { BudgetState, PollObservation } from '../types.js';
import { ChatRateEstimator, type ChatRateSnapshot } from './rate.js';

const HOUR_MS = 3_600_000;

/**
 * Options of {@link BudgetGovernor}. Units are YouTube Data API quota units;
 * times are milliseconds.
 */
export interface BudgetGovernorOptions {
  /**
   * How long the stream is expected to last, in hours: the units left are
   * spread until then. Default 12, so a 12-hour stream is covered on one
   * quota day's 10,000 units; a shorter stream simply ends with units left
   * (set it lower for lower latency when streams are known to be shorter).
   */
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
  /**
   * Bounds of the chat-activity factor that scales the planned interval.
   * Default 0.25 (busy) .. 4 (quiet): a raid at 15 msg/s on a stream that
   * usually has 1 is polled at about a quarter of the planned interval, so
   * most of a burst arrives within a few seconds (most of the messages of a
   * long stream come in bursts, so the median latency is won there); a quiet
   * stretch is polled up to 4 times less often (`maxIntervalMs` still caps it).
   */
  minActivityFactor?: number;
  maxActivityFactor?: number;
  /**
   * Exponent of the activity factor, `(slowRate / fastRate) ** exponent`.
   * Default 0.5: polling every `T` leaves a message waiting `T / 2` on
   * average, so for a fixed number of polls the total wait of `rate * T / 2`
   * is least when `T` is proportional to `1 / sqrt(rate)`.
   */
  activityExponent?: number;
  /**
   * Time constant of the "chat now" rate average. Default 10 s: with polls
   * 20-30 s apart, the first poll into a burst moves it most of the way, so
   * the next poll already comes at the burst's pace.
   */
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
  /**
   * How much of what the activity factor saves by itself is spent again,
   * 0..1. Slowing down for quiet chat saves more polls than speeding up for
   * busy chat spends (the pace `1 / factor` averages below 1), so a raw
   * factor leaves units unspent. The factor is multiplied by
   * `averagePace ** activityBalance` (the pace averaged over `slowTauMs`):
   * 1 spends all of it on the plan, 0 keeps all of it. Default 0.5: half
   * is spent, half stays as a cushion for a stream that runs past
   * `expectedStreamHours` (simulated: with 1 a stream running 2 hours over
   * its plan waited over 5 minutes between polls; with 0 a stream of heavy
   * bursts ended with 1,164 units above the reserve unspent).
   */
  activityBalance?: number;
}

/** The governor's view of the chat: the rates (items/s), the balance and the factor they give. */
export interface ActivitySnapshot extends ChatRateSnapshot {
  /** `averagePace ** activityBalance`: 1 while the factor has saved and spent alike (see {@link BudgetGovernorOptions.activityBalance}). */
  balance: number;
  /** The factor applied to the base interval: < 1 while chat is busier than usual, > 1 while it is quieter. */
  factor: number;
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
  activity: ActivitySnapshot;
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
 * the stream (issue 8; a 12-hour stream by default since issue 22).
 * `liveChatMessages.list` costs 5 of the 10,000 daily units, so polling
 * every 2 s runs dry in about 67 minutes. With `streamList` it paces the
 * (re)connections instead, which cost 5 units each too.
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
 *    clamped to 0.25..4, where the rates are time-weighted EWMAs of items
 *    per second over 10 s and 1 h: polls come faster while chat is busier
 *    than usual (most messages arrive in bursts, so this is where latency
 *    is won) and slower while it is quiet. Slowing down saves more than
 *    speeding up spends, so the factor is multiplied by the square root of
 *    its own average pace (`activityBalance`): half of that saving is spent
 *    on the plan, half is a cushion for a stream that overruns. Savings and
 *    overspending feed back into the next plan through `remainingUnits`.
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
 * const governor = new BudgetGovernor({ expectedStreamHours: 12, reserveUnits: 600 });
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
  readonly activityBalance: number;
  readonly #rates: ChatRateEstimator;
  readonly #slowTauMs: number;
  /** Bias-corrected EWMA (over `slowTauMs`) of the pace the activity factor set, `1 / factor`: see {@link activityFactor}. */
  #paceSum = 0;
  #paceWeight = 0;
  /** The clamped factor (before the balance) in effect since the latest observation. */
  #rawFactor: number | undefined;
  #latest: PollObservation | undefined;
  #last: BudgetDecision | undefined;

  constructor(options: BudgetGovernorOptions = {}) {
    this.expectedStreamMs = positive('expectedStreamHours', options.expectedStreamHours ?? 12) * HOUR_MS;
    this.pollCost = positive('pollCost', options.pollCost ?? 5);
    this.reserveUnits = nonNegative('reserveUnits', options.reserveUnits ?? 500);
    this.stopUnits = nonNegative('stopUnits', options.stopUnits ?? this.reserveUnits / 2);
    this.minIntervalMs = nonNegative('minIntervalMs', options.minIntervalMs ?? 1000);
    this.maxIntervalMs = positive('maxIntervalMs', options.maxIntervalMs ?? 60_000);
    this.minHorizonMs = positive('minHorizonMs', options.minHorizonMs ?? HOUR_MS);
    this.dailyUnits = positive('dailyUnits', options.dailyUnits ?? 10_000);
    this.quotaDayMs = positive('quotaDayMs', options.quotaDayMs ?? 24 * HOUR_MS);
    this.minActivityFactor = positive('minActivityFactor', options.minActivityFactor ?? 0.25);
    this.maxActivityFactor = positive('maxActivityFactor', options.maxActivityFactor ?? 4);
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
    this.#slowTauMs = positive('slowTauMs', options.slowTauMs ?? HOUR_MS);
    this.activityBalance = nonNegative('activityBalance', options.activityBalance ?? 0.5);
    if (this.activityBalance > 1) throw new RangeError(`BudgetGovernor: activityBalance must be within 0..1 (got ${this.activityBalance})`);
    this.#rates = new ChatRateEstimator({ fastTauMs: positive('fastTauMs', options.fastTauMs ?? 10_000), slowTauMs: this.#slowTauMs });
  }

  /** Record one completed poll: when it returned and how many new items it carried. */
  observe(observation: PollObservation): void {
    const previous = this.#latest;
    // The time since the previous observation was paced by the factor set then (the decision follows the observation).
    if (previous !== undefined && this.#rawFactor !== undefined && observation.at > previous.at) {
      const keep = Math.exp(-(observation.at - previous.at) / this.#slowTauMs);
      this.#paceSum = keep * this.#paceSum + (1 - keep) / this.#rawFactor;
      this.#paceWeight = keep * this.#paceWeight + (1 - keep);
    }
    this.#rates.observe(observation);
    if (previous === undefined || observation.at >= previous.at) this.#latest = { at: observation.at, items: observation.items };
    this.#rawFactor = this.#raw(this.#rates.snapshot());
  }

  /** The delay (ms) before the next poll. Same as `decide(state).delayMs`. */
  nextDelayMs(state: BudgetState): number {
    return this.decide(state).delayMs;
  }

  /** The last decision (inputs, intermediate figures and output), or `undefined` before the first. */
  explain(): BudgetDecision | undefined {
    return this.#last;
  }

  /**
   * The chat-activity factor from the observations so far: the clamped
   * `((slowRate + floor) / (fastRate + floor)) ** activityExponent` (1 until
   * there are two observations), times the balance (see `activityBalance`).
   */
  activityFactor(): ActivitySnapshot {
    const snapshot = this.#rates.snapshot();
    const balance = this.#paceWeight > 0 ? (this.#paceSum / this.#paceWeight) ** this.activityBalance : 1;
    return { ...snapshot, balance, factor: this.#raw(snapshot) * balance };
  }

  /** The clamped factor before the balance. */
  #raw(snapshot: ChatRateSnapshot): number {
    if (snapshot.fastRate === undefined || snapshot.slowRate === undefined) return 1;
    const ratio = (snapshot.slowRate + this.rateFloorPerSec) / (snapshot.fastRate + this.rateFloorPerSec);
    return clamp(ratio ** this.activityExponent, this.minActivityFactor, this.maxActivityFactor);
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
