import type { PollObservation } from '../types.js';

/** Tuning of {@link ChatRateEstimator}. */
export interface ChatRateOptions {
  /** Time constant of the fast average, the "now" of the chat (ms). Default 30 s. */
  fastTauMs?: number;
  /** Time constant of the slow average, the stream's usual rate (ms). Default 60 min. */
  slowTauMs?: number;
}

/** The estimator's current view of the chat. Rates are items per second. */
export interface ChatRateSnapshot {
  /** Recent rate (EWMA over about `fastTauMs`). `undefined` before two observations. */
  fastRate: number | undefined;
  /** Longer-run rate (EWMA over about `slowTauMs`). `undefined` before two observations. */
  slowRate: number | undefined;
  /** Observations that contributed a rate (every one but the first). */
  samples: number;
}

/**
 * Two exponentially weighted moving averages of the chat rate (items per
 * second), built from the polls' item counts. The weight of a sample
 * depends on the time it covers (`1 - exp(-dt / tau)`), so irregular poll
 * intervals are averaged correctly: a 60-second poll moves the average more
 * than a 2-second one.
 *
 * The averages are bias-corrected (the weighted sum is divided by the sum
 * of the weights), so until `tau` has passed each is the time-weighted mean
 * of everything seen so far instead of leaning on the first sample. The
 * first observation only sets the clock: it usually carries the chat's
 * backlog, not a rate.
 */
export class ChatRateEstimator {
  readonly #fastTauMs: number;
  readonly #slowTauMs: number;
  #lastAt: number | undefined;
  #fastSum = 0;
  #fastWeight = 0;
  #slowSum = 0;
  #slowWeight = 0;
  #samples = 0;

  constructor(options: ChatRateOptions = {}) {
    this.#fastTauMs = options.fastTauMs ?? 30_000;
    this.#slowTauMs = options.slowTauMs ?? 3_600_000;
    if (!(this.#fastTauMs > 0) || !(this.#slowTauMs > 0)) throw new RangeError('ChatRateEstimator: fastTauMs and slowTauMs must be > 0');
  }

  /** Add one completed poll. Observations at or before the previous one count as covering 1 ms. */
  observe(observation: PollObservation): void {
    const { at } = observation;
    const items = Math.max(0, Number.isFinite(observation.items) ? observation.items : 0);
    if (this.#lastAt === undefined) {
      this.#lastAt = at;
      return;
    }
    const dt = Math.max(1, at - this.#lastAt);
    this.#lastAt = Math.max(this.#lastAt, at);
    const rate = items / (dt / 1000);
    this.#samples++;
    const fastKeep = Math.exp(-dt / this.#fastTauMs);
    this.#fastSum = fastKeep * this.#fastSum + (1 - fastKeep) * rate;
    this.#fastWeight = fastKeep * this.#fastWeight + (1 - fastKeep);
    const slowKeep = Math.exp(-dt / this.#slowTauMs);
    this.#slowSum = slowKeep * this.#slowSum + (1 - slowKeep) * rate;
    this.#slowWeight = slowKeep * this.#slowWeight + (1 - slowKeep);
  }

  snapshot(): ChatRateSnapshot {
    if (this.#samples === 0) return { fastRate: undefined, slowRate: undefined, samples: 0 };
    return { fastRate: this.#fastSum / this.#fastWeight, slowRate: this.#slowSum / this.#slowWeight, samples: this.#samples };
  }
}
