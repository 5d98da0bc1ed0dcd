/** The project's daily quota, as the fake charges it. */

/** What the fake does with a call the daily quota cannot pay for. */
export type FakeOverLimitMode = 'refuse' | 'count';

export class QuotaLedger {
  #used = 0;
  #day: string | undefined;
  /** Calls served past the limit (mode `count`), since the start: not reset by the day or `reset()`. */
  #overLimitCalls = 0;
  #overLimitUnits = 0;
  readonly #format: Intl.DateTimeFormat | undefined;

  constructor(
    public limit: number,
    timeZone: string | null,
    private readonly now: () => number,
    public overLimit: FakeOverLimitMode = 'refuse',
  ) {
    this.#format = timeZone === null ? undefined : new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** Usage starts again at midnight of the quota time zone (Pacific for YouTube). */
  #roll(): void {
    if (this.#format === undefined) return;
    const day = this.#format.format(new Date(this.now()));
    if (day !== this.#day) {
      this.#day = day;
      this.#used = 0;
    }
  }

  /** Whether a request of `cost` units must be refused with quotaExceeded (never in mode `count`). */
  wouldExceed(cost: number): boolean {
    this.#roll();
    return this.overLimit === 'refuse' && this.#used + cost > this.limit;
  }

  /** Charges `cost`; returns true when the call went past the limit (only possible in mode `count`), and counts it. */
  charge(cost: number): boolean {
    this.#roll();
    const before = this.#used;
    this.#used += cost;
    if (this.#used <= this.limit) return false;
    this.#overLimitCalls += 1;
    this.#overLimitUnits += this.#used - Math.max(before, this.limit);
    return true;
  }

  overLimitCalls(): number {
    return this.#overLimitCalls;
  }

  /** Units charged past the limit, summed over every quota day. */
  overLimitUnits(): number {
    return this.#overLimitUnits;
  }

  used(): number {
    this.#roll();
    return this.#used;
  }

  reset(): void {
    this.#roll();
    this.#used = 0;
  }
}
