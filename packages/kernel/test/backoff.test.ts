import { describe, expect, it } from 'vitest';
import { backoffDelay, SS_ERR_BACKOFF_INVALID, type BackoffPolicy } from '../src/index.js';

const noRandom = () => {
  throw new Error('random() must not be called without jitter');
};

describe('backoffDelay', () => {
  it('is exponential from initialMs and capped at maxMs; attempt 0 counts as 1', () => {
    const policy = { initialMs: 500, factor: 2, maxMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(policy, n, noRandom))).toEqual([500, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect([1, 2, 3].map((n) => backoffDelay({ initialMs: 1000, factor: 3 }, n))).toEqual([1000, 3000, 9000]);
    expect(backoffDelay({ initialMs: 200, maxMs: 200, factor: 1 }, 50)).toBe(200);
  });

  it('defaults to 1 s, ×2, at most five minutes, and rounds to whole milliseconds', () => {
    expect([1, 2, 9, 10, 100].map((n) => backoffDelay({}, n))).toEqual([1000, 2000, 256_000, 300_000, 300_000]);
    expect([1, 2, 3].map((n) => backoffDelay({ initialMs: 500, factor: 1.5, maxMs: 10_000 }, n))).toEqual([500, 750, 1125]);
    expect(backoffDelay({ initialMs: 5, factor: 1.5 }, 4)).toBe(17); // 16.875
  });

  it('reaches the cap instead of overflowing for huge attempts; initialMs 0 stays 0', () => {
    expect(backoffDelay({ initialMs: 2000, maxMs: 300_000 }, 100_000)).toBe(300_000);
    expect(backoffDelay({ initialMs: 0, maxMs: 300_000 }, 100_000)).toBe(0);
    expect(backoffDelay({ initialMs: 7, maxMs: 0 }, 3)).toBe(0);
  });

  it('is deterministic without jitter (jitter 0 or { below: 0, above: 0 } never calls random)', () => {
    expect(backoffDelay({ initialMs: 100, jitter: 0 }, 3, noRandom)).toBe(400);
    expect(backoffDelay({ initialMs: 100, jitter: { below: 0, above: 0 } }, 3, noRandom)).toBe(400);
    expect(backoffDelay({ initialMs: 100, jitter: {} }, 3, noRandom)).toBe(400);
  });

  it('symmetric jitter spreads d·(1 − j) … d·(1 + j) around the capped delay', () => {
    const policy: BackoffPolicy = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.3 };
    expect(backoffDelay(policy, 1, () => 0)).toBe(700);
    expect(backoffDelay(policy, 1, () => 0.5)).toBe(1000);
    expect(backoffDelay(policy, 1, () => 1)).toBe(1300);
    // The cap applies before the jitter: a capped delay may go above maxMs by j·maxMs.
    expect(backoffDelay(policy, 20, () => 0)).toBe(42_000);
    expect(backoffDelay(policy, 20, () => 1)).toBe(78_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(policy, 3);
      expect(d).toBeGreaterThanOrEqual(2800);
      expect(d).toBeLessThanOrEqual(5200);
    }
  });

  it('one-sided jitter { below } only ever shortens the delay, so the cap holds', () => {
    const policy: BackoffPolicy = { initialMs: 500, maxMs: 5000, jitter: { below: 0.5 } };
    expect(backoffDelay(policy, 3, () => 0)).toBe(1000);
    expect(backoffDelay(policy, 3, () => 1)).toBe(2000);
    expect(backoffDelay(policy, 10, () => 1)).toBe(5000);
    expect(backoffDelay({ initialMs: 1000, jitter: { above: 0.25 } }, 1, () => 1)).toBe(1250);
    expect(backoffDelay({ initialMs: 1000, jitter: { below: 1 } }, 1, () => 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(policy, 10);
      expect(d).toBeGreaterThanOrEqual(2500);
      expect(d).toBeLessThanOrEqual(5000);
    }
  });

  it.each([
    [{ initialMs: -1 }, 1, 'initialMs'],
    [{ initialMs: Number.NaN }, 1, 'initialMs'],
    [{ initialMs: Number.POSITIVE_INFINITY }, 1, 'initialMs'],
    [{ initialMs: '100' as unknown as number }, 1, 'initialMs'],
    [{ maxMs: -5 }, 1, 'maxMs'],
    [{ factor: 0.5 }, 1, 'factor'],
    [{ factor: Number.NaN }, 1, 'factor'],
    [{ jitter: 1.5 }, 1, 'jitter'],
    [{ jitter: -0.1 }, 1, 'jitter'],
    [{ jitter: { below: 2 } }, 1, 'jitter'],
    [{ jitter: { above: Number.NaN } }, 1, 'jitter'],
    [{}, -1, 'attempt'],
    [{}, 1.5, 'attempt'],
    [{}, Number.NaN, 'attempt'],
    [{}, Number.POSITIVE_INFINITY, 'attempt'],
  ] as [BackoffPolicy, number, string][])('refuses %j at attempt %s (%s) with SS_ERR_BACKOFF_INVALID', (policy, attempt, what) => {
    let caught: unknown;
    try {
      backoffDelay(policy, attempt);
    } catch (error) {
      caught = error;
    }
    expect(SS_ERR_BACKOFF_INVALID.is(caught)).toBe(true);
    expect((caught as Error).message).toContain(`Invalid backoff ${what}`);
  });

  it('refuses a random() outside [0, 1]', () => {
    for (const value of [-0.1, 1.1, Number.NaN]) {
      expect(() => backoffDelay({ jitter: 0.2 }, 1, () => value)).toThrow(/Invalid backoff random\(\)/);
    }
  });
});
