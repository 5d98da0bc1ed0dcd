/** The project's daily quota, as the fake charges it. */

export class QuotaLedger {
  #used = 0;
  #day: string | undefined;
  readonly #format: Intl.DateTimeFormat | undefined;

  constructor(
    public limit: number,
    timeZone: string | null,
    private readonly now: () => number,
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

  /** Whether a request of `cost` units must be refused with quotaExceeded. */
  wouldExceed(cost: number): boolean {
    this.#roll();
    return this.#used + cost > this.limit;
  }

  charge(cost: number): void {
    this.#roll();
    this.#used += cost;
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
