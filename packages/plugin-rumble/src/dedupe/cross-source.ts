import type { RumbleChatEntry } from '../types.js';

interface Tally {
  emitted: number;
  api: number;
  browser: number;
  lastAt: number;
}

/**
 * With API and browser mode both on, each message is read twice, with
 * nothing in common but author and text (the API has no ids, the page no
 * timestamps). Per author + text this counts what each source saw: an
 * entry is new when its source has now seen it more often than anyone
 * emitted it. So one message is emitted once whichever source saw it first,
 * and a real repeat ("gg", "gg") is still emitted twice. Tallies idle for
 * `windowMs` are forgotten.
 */
export class CrossSourceDedupe {
  readonly #tallies = new Map<string, Tally>();
  readonly #windowMs: number;

  constructor(windowMs = 10 * 60_000) {
    this.#windowMs = windowMs;
  }

  get size(): number {
    return this.#tallies.size;
  }

  /** True when the entry is new (emit it), false when the other source already emitted it. */
  admit(entry: Pick<RumbleChatEntry, 'source' | 'username' | 'text' | 'rant'>, now: number): boolean {
    this.#forget(now);
    const key = `${entry.rant === undefined ? 'm' : `r${entry.rant.amountCents}`}\u0000${entry.username.toLowerCase()}\u0000${entry.text.trim()}`;
    const tally = this.#tallies.get(key) ?? { emitted: 0, api: 0, browser: 0, lastAt: now };
    // Re-inserted so the map stays ordered by last use and #forget stops at the first fresh one.
    this.#tallies.delete(key);
    tally.lastAt = now;
    tally[entry.source] += 1;
    const fresh = tally[entry.source] > tally.emitted;
    if (fresh) tally.emitted += 1;
    this.#tallies.set(key, tally);
    return fresh;
  }

  #forget(now: number): void {
    for (const [key, tally] of this.#tallies) {
      if (now - tally.lastAt <= this.#windowMs) break;
      this.#tallies.delete(key);
    }
  }
}
