import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../src/api/errors.js';
import { retryDelayMs, streamReopenBackoffMs } from '../src/retry-policy.js';

const failure = (kind: ApiFailure['kind']): ApiFailure => ({ kind, status: 500, reason: 'test' });
const attempts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50];

describe('retry policy delays (the kernel backoff, pinned)', () => {
  it('doubles from a base by kind, capped at 5 minutes', () => {
    expect(attempts.map((n) => retryDelayMs(failure('rate'), n))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000, 300_000, 300_000]);
    expect(attempts.map((n) => retryDelayMs(failure('auth'), n))).toEqual([60_000, 120_000, 240_000, 300_000, 300_000, 300_000, 300_000, 300_000, 300_000, 300_000, 300_000]);
    expect(retryDelayMs(failure('invalid'), 2)).toBe(120_000);
    expect(attempts.map((n) => retryDelayMs(failure('transient'), n))).toEqual([2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
  });

  it('reopens a stream after 1 s, then 2 s, 4 s… while the server keeps ending it quickly', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(streamReopenBackoffMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
  });
});
