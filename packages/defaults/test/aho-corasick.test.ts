import { describe, expect, it } from 'vitest';
import { AhoCorasick, foldCase } from '../src/triggers/aho-corasick.js';

function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, id) => {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) out.push(`${id}@${i + p.length}`);
  });
  return out.sort();
}

function random(alphabet: string, length: number, seed: { s: number }): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    seed.s = (seed.s * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[seed.s % alphabet.length];
  }
  return out;
}

describe('AhoCorasick', () => {
  it('finds every occurrence, overlapping and nested, like a naive search', () => {
    const patterns = ['he', 'she', 'his', 'hers', 'e', 'ershe'];
    const automaton = new AhoCorasick(patterns);
    const found: string[] = [];
    automaton.scan('ushershehis', (id, end) => found.push(`${id}@${end}`));
    expect(found.sort()).toEqual(naive(patterns, 'ushershehis'));
  });

  it('agrees with a naive search on 300 random pattern sets and texts', () => {
    const seed = { s: 42 };
    for (let round = 0; round < 300; round++) {
      const patterns = [...new Set(Array.from({ length: 1 + (round % 12) }, (_, i) => random('abc', 1 + ((round + i) % 4), seed)))];
      const text = random('abcd', 40, seed);
      const found: string[] = [];
      new AhoCorasick(patterns).scan(text, (id, end) => found.push(`${id}@${end}`));
      expect(found.sort()).toEqual(naive(patterns, text));
    }
  });

  it('handles non-ASCII text (UTF-16 units)', () => {
    const found: number[] = [];
    new AhoCorasick(['gg', 'пока', '🎉']).scan('ура 🎉 пока gg', (id) => found.push(id));
    expect(found.sort()).toEqual([0, 1, 2]);
  });
});

describe('AhoCorasick.scanFolded', () => {
  it('reports what scan(foldCase(text)) reports, ASCII or not', () => {
    const patterns = ['gg', 'kappa', 'ς', 'σ', 'i̇', 'straße', 'pog'];
    const automaton = new AhoCorasick(patterns);
    const texts = ['GG KAPPA pog', 'ΣΑΣ', 'İ', 'STRASSE straße', 'PoG', '', 'nothing here', 'Kappa🎉GG'];
    for (const text of texts) {
      const lower: string[] = [];
      const inline: string[] = [];
      automaton.scan(foldCase(text), (id, end) => lower.push(`${id}@${end}`));
      automaton.scanFolded(text, (id, end) => inline.push(`${id}@${end}`));
      expect(inline, text).toEqual(lower);
    }
    const found: number[] = [];
    automaton.scanFolded('GG and KaPpA', (id) => found.push(id));
    expect(found).toEqual([0, 1]);
  });
});

describe('AhoCorasick with branchy states (full transition rows)', () => {
  it('falls back correctly from a state with many children', () => {
    const found: string[] = [];
    new AhoCorasick(['ab', 'ac', 'ad', 'bd']).scan('aab abd', (id, end) => found.push(`${id}@${end}`));
    expect(found).toEqual(['0@3', '0@6', '3@7']);
  });

  it('agrees with a naive search on 200 dense random pattern sets', () => {
    const seed = { s: 7 };
    for (let round = 0; round < 200; round++) {
      const patterns = [...new Set(Array.from({ length: 30 }, (_, i) => random('abc', 2 + ((round + i) % 4), seed)))];
      const text = random('abcd', 60, seed);
      const found: string[] = [];
      new AhoCorasick(patterns).scan(text, (id, end) => found.push(`${id}@${end}`));
      expect(found.sort()).toEqual(naive(patterns, text));
      const folded: string[] = [];
      new AhoCorasick(patterns).scanFolded(text.toUpperCase(), (id, end) => folded.push(`${id}@${end}`));
      expect(folded.sort()).toEqual(naive(patterns, text));
    }
  });
});
