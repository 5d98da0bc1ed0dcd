/**
 * The kernel clock. Every time-dependent service reads time through it, so
 * replays and tests can run on virtual time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/**
 * A clock that only moves when told to: replays set it to each event's time,
 * tests advance it. Time never goes backwards (setting an earlier time is
 * ignored), so durations measured on it are never negative.
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`ManualClock start must be a finite number, got ${start}`);
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves to `time` (epoch ms) when it is later than now. */
  set(time: number): void {
    if (Number.isFinite(time) && time > this.#now) this.#now = time;
  }

  advance(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.#now += ms;
  }
}
