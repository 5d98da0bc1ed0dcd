import { SS_ERR_BACKOFF_INVALID } from './errors.js';

/**
 * Retry delays: `initialMs · factor^(attempt − 1)`, at most `maxMs`, then
 * optionally randomised. Every field has a default, so `{}` is 1 s, 2 s,
 * 4 s… up to five minutes.
 */
export interface BackoffPolicy {
  /** Delay before the retry after the first failure, in ms (default 1000). */
  initialMs?: number;
  /** Growth per further attempt, ≥ 1 (default 2). */
  factor?: number;
  /** Upper bound of the exponential delay, in ms (default 300000, five minutes). */
  maxMs?: number;
  /**
   * Randomisation, as fractions (0..1) of the capped delay `d`, so many
   * clients dropped by one outage do not retry in step. A number `j` draws
   * the delay uniformly from `d·(1 − j)` to `d·(1 + j)` (it may pass `maxMs`
   * by `j·maxMs`); `{ below, above }` from `d·(1 − below)` to `d·(1 + above)`,
   * so `{ below: j }` only ever shortens it. Default 0: deterministic.
   */
  jitter?: number | { below?: number; above?: number };
}

const DEFAULTS = { initialMs: 1000, factor: 2, maxMs: 300_000 };

/**
 * The delay in whole milliseconds before retry number `attempt` (1 after the
 * first failure; 0 counts as 1). `random` (default `Math.random`, values in
 * [0, 1]) is called only when the policy has jitter. Throws
 * SS_ERR_BACKOFF_INVALID for a policy, attempt or random value out of range.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const initialMs = policy.initialMs ?? DEFAULTS.initialMs;
  const factor = policy.factor ?? DEFAULTS.factor;
  const maxMs = policy.maxMs ?? DEFAULTS.maxMs;
  const { below, above } = typeof policy.jitter === 'object' && policy.jitter !== null ? policy.jitter : { below: policy.jitter, above: policy.jitter };
  check('initialMs', initialMs, 0, Number.MAX_SAFE_INTEGER, 'a number of milliseconds ≥ 0');
  check('maxMs', maxMs, 0, Number.MAX_SAFE_INTEGER, 'a number of milliseconds ≥ 0');
  check('factor', factor, 1, Number.MAX_VALUE, 'a number ≥ 1');
  check('jitter', below ?? 0, 0, 1, 'a fraction from 0 to 1');
  check('jitter', above ?? 0, 0, 1, 'a fraction from 0 to 1');
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new SS_ERR_BACKOFF_INVALID('attempt', `${String(attempt)} is not an integer ≥ 0`);
  // factor^n overflows to Infinity for large attempts; the cap still applies (and 0 stays 0).
  const base = initialMs === 0 ? 0 : Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
  const low = base * (below ?? 0);
  const high = base * (above ?? 0);
  if (low === 0 && high === 0) return Math.round(base);
  const r = random();
  check('random()', r, 0, 1, 'a number from 0 to 1');
  return Math.round(base - low + r * (low + high));
}

function check(what: string, value: unknown, min: number, max: number, expected: string): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new SS_ERR_BACKOFF_INVALID(what, `${typeof value === 'number' ? String(value) : typeof value} is not ${expected}`);
  }
}
