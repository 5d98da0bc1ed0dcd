import { describe, expect, it } from 'vitest';
import { compileMonetization, formatMicros, matchingRules, normalizeAmount } from '../src/rules/chat/money.js';
import { PhraseSet } from '../src/rules/chat/phrases.js';

describe('banned phrase matching (PhraseSet)', () => {
  it('whole words in any case and script; every phrase in one pass; phrases that start or end with punctuation need no boundary there', () => {
    const set = new PhraseSet(['scam', 'Buy Followers', 'ass', 'мат', ':)', '!free']);
    expect(set.find('total SCAM')).toEqual([0]);
    expect(set.find('scammer, ascam, scam_')).toEqual([]);
    expect(set.find('classy glass; buy  followers; buy followers!')).toEqual([1]);
    expect(set.find('ass')).toEqual([2]);
    expect(set.find('это мат.')).toEqual([3]);
    expect(set.find('матрица')).toEqual([]);
    expect(set.find('hi:)')).toEqual([4]);
    expect(set.find('get it!free now, scam')).toEqual([0, 5]);
    expect(new PhraseSet([]).find('anything')).toEqual([]);
  });
});

describe('monetization amounts', () => {
  const { compiled } = compileMonetization(
    {
      currency: 'USD',
      rates: { EUR: 1.1 },
      bitsPerUnit: 100,
      match: 'highest',
      rules: [
        { kinds: ['superchat', 'bits'], min: 1, actions: [{ type: 'chat.reply', params: { text: 'a' } }] },
        { kinds: ['superchat', 'bits'], min: 5, max: 10, actions: [{ type: 'chat.reply', params: { text: 'b' } }] },
      ],
    },
    [],
  );

  it('converts to micros of the configured currency: same currency, bits per unit, rates; none for an unknown currency', () => {
    expect(normalizeAmount(compiled, { kind: 'superchat', amountMicros: 5_000_000, currency: 'USD' })).toBe(5_000_000);
    expect(normalizeAmount(compiled, { kind: 'superchat', amountMicros: 5_000_000, currency: 'usd' })).toBe(5_000_000);
    expect(normalizeAmount(compiled, { kind: 'bits', amountMicros: 500_000_000, currency: 'BITS' })).toBe(5_000_000);
    expect(normalizeAmount(compiled, { kind: 'rant', amountMicros: 10_000_000, currency: 'EUR' })).toBe(11_000_000);
    expect(normalizeAmount(compiled, { kind: 'rant', amountMicros: 10_000_000, currency: 'JPY' })).toBeUndefined();
    expect(formatMicros(5_060_000)).toBe('5.06');
  });

  it('the highest matching threshold wins; bounds are inclusive; kinds must match', () => {
    const ids = (micros: number, kind = 'superchat') => matchingRules(compiled, kind, 'youtube', micros).map((r) => r.index);
    expect(ids(999_999)).toEqual([]);
    expect(ids(1_000_000)).toEqual([0]);
    expect(ids(5_000_000)).toEqual([1]);
    expect(ids(10_000_000)).toEqual([1]);
    expect(ids(10_000_001)).toEqual([0]);
    expect(ids(5_000_000, 'rant')).toEqual([]);
    expect(matchingRules({ ...compiled, match: 'all' }, 'bits', 'twitch', 5_000_000).map((r) => r.index)).toEqual([0, 1]);
  });
});
