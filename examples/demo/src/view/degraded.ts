/** The stretches of time a creator's platform was not `connected`, and when one of them counts as an error. */

/**
 * How long a platform may stay degraded — not `connected`: reconnecting,
 * backing off, waiting for the quota, or not connected yet — before the demo
 * counts it as an error. Everything in the demo is local, so a chat that
 * cannot be read for 15 s is a fault (issue 23: a 60 s YouTube stall passed
 * as `0 error(s)`); shorter periods (a reconnect, the first connect) are
 * listed in the summary but do not fail the run.
 */
export const DEGRADED_THRESHOLD_MS = 15_000;

/** One stretch of time a creator's platform was not `connected`. */
export interface DegradedPeriod {
  creatorId: string;
  platform: string;
  /** When it left `connected` (or, for the first connect, started connecting). */
  since: number;
  /** When it was `connected` again (or stopped); undefined while still degraded. */
  until?: number;
  durationMs: number;
  /** The first reason the platform gave in this period (the cause). */
  reason?: string;
  /** At least the threshold long: counted as an error. */
  long: boolean;
}

interface OpenPeriod {
  creatorId: string;
  platform: string;
  since: number;
  until?: number;
  reason?: string;
  /** Still the first connect (never connected before): not listed when brief. */
  initial: boolean;
  /** Already counted as an error. */
  counted: boolean;
}

/** A period that reached the threshold: the platform, and the first reason it gave. */
export type LongPeriod = Pick<DegradedPeriod, 'creatorId' | 'platform' | 'reason'>;

export class DegradedTracker {
  /** Periods in the order they started; open ones have no `until`. */
  readonly #periods: OpenPeriod[] = [];
  readonly #open = new Map<string, OpenPeriod>();
  readonly #everConnected = new Set<string>();

  /** `onLong` is called once for each period that reaches `thresholdMs`. */
  constructor(
    private readonly now: () => number,
    readonly thresholdMs: number,
    private readonly onLong: (period: LongPeriod) => void,
  ) {}

  /** Opens, extends or closes the platform's degraded period; while the runtime is `stopping`, it only closes. */
  track(creatorId: string, platform: string, state: string, reason: string | undefined, stopping: boolean): void {
    const key = `${creatorId}\u0000${platform}`;
    // Offline (not live) is not a fault: it ends a degraded period like connected does.
    if (state === 'connected' || state === 'stopped' || state === 'offline' || stopping) {
      if (state === 'connected') this.#everConnected.add(key);
      this.#close(key);
      return;
    }
    let period = this.#open.get(key);
    if (period === undefined) {
      period = { creatorId, platform, since: this.now(), initial: state === 'connecting' && !this.#everConnected.has(key), counted: false };
      this.#open.set(key, period);
      this.#periods.push(period);
    } else if (state !== 'connecting') {
      period.initial = false; // the first connect ran into trouble
    }
    if (period.reason === undefined && reason !== undefined && reason.length > 0) period.reason = reason;
    this.check();
  }

  /** Ends the open periods of `creatorId`, or all of them. */
  closeOpen(creatorId?: string): void {
    for (const [key, period] of [...this.#open]) if (creatorId === undefined || period.creatorId === creatorId) this.#close(key);
  }

  /** A period that reached the threshold counts as one error, once. */
  check(): void {
    const now = this.now();
    for (const period of this.#periods) {
      if (period.counted || (period.until ?? now) - period.since < this.thresholdMs) continue;
      period.counted = true;
      this.onLong({ creatorId: period.creatorId, platform: period.platform, ...(period.reason === undefined ? {} : { reason: period.reason }) });
    }
  }

  /**
   * Every period, oldest first (an open one up to now); a first connect
   * shorter than the threshold is normal start-up and not listed.
   */
  periods(): DegradedPeriod[] {
    this.check();
    const now = this.now();
    const threshold = this.thresholdMs;
    return this.#periods.flatMap((p) => {
      const durationMs = Math.max(0, (p.until ?? now) - p.since);
      if (p.initial && durationMs < threshold) return [];
      return [
        {
          creatorId: p.creatorId,
          platform: p.platform,
          since: p.since,
          ...(p.until === undefined ? {} : { until: p.until }),
          durationMs,
          ...(p.reason === undefined ? {} : { reason: p.reason }),
          long: durationMs >= threshold,
        },
      ];
    });
  }

  #close(key: string): void {
    const period = this.#open.get(key);
    if (period === undefined) return;
    this.#open.delete(key);
    period.until = this.now();
    this.check();
  }
}
