import { describe, expect, it } from 'vitest';
import { runAtRate } from '../src/testing.js';

describe('runAtRate', () => {
  it('sends exactly `total` in order, stops when send throws, and refuses a bad rate', async () => {
    const seen: number[] = [];
    const run = runAtRate({ ratePerSec: 500, total: 7, send: (i) => void seen.push(i) });
    expect(await run.done).toBe(7);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const failing = runAtRate({ ratePerSec: 500, send: (i) => { if (i === 3) throw new Error('closed'); } });
    expect(await failing.done).toBe(3);
    expect(() => runAtRate({ ratePerSec: 0, send: () => {} })).toThrow(RangeError);
  });
});
