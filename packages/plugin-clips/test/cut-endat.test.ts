import { describe, expect, it } from 'vitest';
import { lagSec } from '../src/cut/encoder.js';
import { planCut } from '../src/cut/plan.js';

const T = Date.UTC(2026, 10, 27, 20);
const segments = Array.from({ length: 20 }, (_, i) => ({ uri: `r1-${i}.ts`, sequence: i, discontinuity: false, durationSec: 1, startSec: i, programDateTime: T + i * 1000 }));

describe('a clip cut later than it was asked for', () => {
  it('ends at the time it was asked for (EXT-X-PROGRAM-DATE-TIME), not at the live edge', () => {
    // Buffer ends at T+20 s; the viewer asked at T+15 s: the end moves back 5 s.
    expect(lagSec(segments, T + 15_000)).toBe(5);
    const plan = planCut('index.m3u8', segments, { seconds: 4, offsetSec: lagSec(segments, T + 15_000), mode: 'copy' });
    expect(plan.segments).toEqual(['r1-11.ts', 'r1-12.ts', 'r1-13.ts', 'r1-14.ts']);
    expect(plan.durationSec).toBe(4);
  });

  it('no endAt, no program date time, or an endAt in the future: the live edge', () => {
    expect(lagSec(segments, undefined)).toBe(0);
    expect(lagSec(segments.map(({ programDateTime: _, ...s }) => s), T + 15_000)).toBe(0);
    expect(lagSec(segments, T + 60_000)).toBe(0);
  });
});
