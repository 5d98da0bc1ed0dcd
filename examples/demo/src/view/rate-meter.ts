/** Messages per second over a sliding window of whole-second buckets (O(1) per message). */
export class RateMeter {
  readonly #buckets: { second: number; count: number }[];
  readonly #since: number;

  constructor(windowSec: number, since: number) {
    this.#buckets = Array.from({ length: windowSec }, () => ({ second: -1, count: 0 }));
    this.#since = since;
  }

  add(at: number): void {
    const second = Math.floor(at / 1000);
    const bucket = this.#buckets[second % this.#buckets.length]!;
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.count = 0;
    }
    bucket.count += 1;
  }

  rate(now: number): number {
    const nowSecond = Math.floor(now / 1000);
    const firstSecond = nowSecond - this.#buckets.length + 1;
    let count = 0;
    for (const bucket of this.#buckets) if (bucket.second >= firstSecond && bucket.second <= nowSecond) count += bucket.count;
    const covered = (now - Math.max(firstSecond * 1000, this.#since)) / 1000;
    return count / Math.max(covered, 1);
  }
}
