import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.js';
import { splitMessage } from '../src/split.js';

describe('splitMessage', () => {
  it('keeps short messages whole and splits long ones on word boundaries under 500 code points', () => {
    expect(splitMessage('hello there')).toEqual(['hello there']);
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const chunks = splitMessage(words);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect([...chunk].length).toBeLessThanOrEqual(500);
    expect(chunks.join(' ')).toBe(words);
    for (const chunk of chunks) expect(chunk).not.toMatch(/^\s|\s$/);
  });

  it('never splits a surrogate pair and cuts a word longer than the limit', () => {
    const emoji = '🎉'.repeat(600);
    const chunks = splitMessage(emoji);
    expect(chunks.map((c) => [...c].length)).toEqual([500, 100]);
    expect(chunks.join('')).toBe(emoji);
    expect(splitMessage(`${'a'.repeat(10)}\r\n\r\n${'b'.repeat(3)}`, 12)).toEqual(['aaaaaaaaaa', 'bbb']);
    expect(splitMessage('   ')).toEqual([]);
  });
});

describe('backoffDelay', () => {
  const policy = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.3 };
  it('grows exponentially to the cap, with jitter within bounds', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay({ ...policy, jitter: 0 }, n))).toEqual([1000, 2000, 4000, 8000, 60_000]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(700);
    expect(backoffDelay(policy, 1, () => 1)).toBe(1300);
    expect(backoffDelay(policy, 20, () => 0.5)).toBe(60_000);
  });
});
