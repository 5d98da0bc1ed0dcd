/**
 * "Did you mean" for manifest mistakes: plugin ids, package names, keys.
 * Distances are Damerau-Levenshtein (optimal string alignment: insert,
 * delete, substitute, swap two neighbours), compared case-insensitively, so
 * `twtich` is one edit from `twitch`.
 */

/**
 * Edit distance between `a` and `b` (optimal string alignment). With `max`,
 * stops early and returns `max + 1` once the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rows: the one before the previous (for swaps), the previous, the current.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * How many edits still count as a typo of a name of this length: none below
 * 3 characters, 1 up to 5, 2 up to 8, at most 3. Unrelated names
 * (`youtube` for `twitch`) stay far above it.
 */
export function typoThreshold(length: number): number {
  if (length < 3) return 0;
  return Math.min(3, Math.max(1, Math.floor(length / 3)));
}

export interface SuggestOptions {
  /** Most suggestions returned (default 3); ties at the best distance only. */
  limit?: number;
  /** The part of each name that is compared (default: the whole name). */
  key?: (name: string) => string;
}

/**
 * The candidates closest to `input` within the typo threshold, best first
 * (ties in candidate order). `input` itself is never suggested; a candidate
 * differing only in case is (distance 0).
 */
export function suggest(input: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  const key = options.key ?? ((name: string) => name);
  const target = key(input).toLowerCase();
  const max = typoThreshold(target.length);
  let best = max + 1;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === input) continue;
    const distance = editDistance(target, key(candidate).toLowerCase(), max);
    if (distance > max || distance > best) continue;
    if (distance < best) {
      best = distance;
      found = [];
    }
    found.push(candidate);
  }
  return found.slice(0, options.limit ?? 3);
}

/** `Did you mean "a"?` / `Did you mean "a" or "b"?`, or '' when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `"${s}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return `Did you mean ${list}?`;
}
