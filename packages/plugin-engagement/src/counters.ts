import { compareText, labelKey } from './labels.js';

/** One label's value in a tally (count) or a scoreboard (score). */
export interface CounterEntry {
  label: string;
  value: number;
}

/** Why an addition was refused. */
export type CounterRefusal = { kind: 'not-allowed' } | { kind: 'full'; limit: number } | { kind: 'out-of-range' };

/**
 * Values by label, case-insensitive (the first spelling seen, or the
 * configured one, is kept for display). With `allowed`, only those labels
 * exist and they start at 0; otherwise new labels are accepted up to `limit`.
 * Pure state: no I/O.
 */
export class Counter {
  readonly #entries = new Map<string, CounterEntry>();
  readonly #allowed: ReadonlyMap<string, string> | undefined;
  readonly #limit: number;
  readonly #integer: boolean;

  constructor(options: { allowed?: readonly string[]; limit: number; integer: boolean }) {
    this.#limit = options.limit;
    this.#integer = options.integer;
    if (options.allowed !== undefined) {
      this.#allowed = new Map(options.allowed.map((label) => [labelKey(label), label]));
      for (const [key, label] of this.#allowed) this.#entries.set(key, { label, value: 0 });
    }
  }

  /** The configured labels, when the counter has a fixed list. */
  get allowed(): string[] | undefined {
    return this.#allowed === undefined ? undefined : [...this.#allowed.values()];
  }

  /** Puts back a persisted value (ignored for labels no longer allowed). */
  restore(key: string, entry: CounterEntry): void {
    if (!Number.isFinite(entry.value)) return;
    const configured = this.#allowed?.get(key);
    if (this.#allowed !== undefined && configured === undefined) return;
    this.#entries.set(key, { label: configured ?? entry.label, value: entry.value });
  }

  /** Adds `delta` to a (clean, non-empty) label; returns the new entry and its key, or why it was refused. */
  add(label: string, delta: number): { key: string; entry: CounterEntry } | CounterRefusal {
    const key = labelKey(label);
    const current = this.#entries.get(key);
    if (current === undefined) {
      if (this.#allowed !== undefined) return { kind: 'not-allowed' };
      if (this.#entries.size >= this.#limit) return { kind: 'full', limit: this.#limit };
    }
    const value = this.#round((current?.value ?? 0) + delta);
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) return { kind: 'out-of-range' };
    const entry = { label: current?.label ?? label, value };
    this.#entries.set(key, entry);
    return { key, entry };
  }

  /** Entries sorted by label (code-point order). */
  byLabel(): CounterEntry[] {
    return [...this.#entries.values()].map((e) => ({ ...e })).sort((a, b) => compareText(a.label, b.label));
  }

  /** Entries by value, highest first, then by label. */
  ranked(): CounterEntry[] {
    return [...this.#entries.values()].map((e) => ({ ...e })).sort((a, b) => b.value - a.value || compareText(a.label, b.label));
  }

  #round(value: number): number {
    // Scores may be fractional; six decimals keep 0.1 + 0.2 from showing as 0.30000000000000004.
    return this.#integer || Number.isInteger(value) ? value : Number(value.toFixed(6));
  }
}

/**
 * Standard competition ranking ("1224"): equal scores share a rank, the next
 * rank skips. Takes entries already sorted by {@link Counter.ranked}.
 */
export function withRanks(entries: readonly CounterEntry[]): { rank: number; label: string; score: number }[] {
  let rank = 0;
  let previous: number | undefined;
  return entries.map((entry, index) => {
    if (entry.value !== previous) rank = index + 1;
    previous = entry.value;
    return { rank, label: entry.label, score: entry.value };
  });
}
