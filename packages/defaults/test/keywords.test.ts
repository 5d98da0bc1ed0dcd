import { describe, expect, it } from 'vitest';
import { compileKeywords, escapeRegex, WORD_CHAR_CLASS } from '../src/triggers/keywords.js';

/** What keyword triggers matched with before compileKeywords: one regex with Unicode lookarounds. */
function referenceFind(keywords: readonly string[], wholeWord: boolean, text: string): string | undefined {
  const alternation = [...keywords].sort((a, b) => b.length - a.length).map(escapeRegex).join('|');
  const source = wholeWord ? `(?<!${WORD_CHAR_CLASS})(?:${alternation})(?!${WORD_CHAR_CLASS})` : `(?:${alternation})`;
  return new RegExp(source, 'iu').exec(text)?.[0];
}

describe('compileKeywords', () => {
  it('finds whole words, case-insensitively, longest first, falling back to a shorter keyword at the same place', () => {
    const m = compileKeywords(['good', 'good game'], true);
    expect(m.find('that was a GOOD GAME!')).toBe('GOOD GAME');
    expect(m.find('good gamer')).toBe('good'); // "good game" runs into "r"; "good" ends on a space
    expect(m.find('goodgame')).toBeUndefined();
    expect(m.find('xgood good')).toBe('good');
    expect(compileKeywords(['good'], false).find('xgoodx')).toBe('good');
  });

  it('treats letters, marks and digits of every script as word characters', () => {
    const m = compileKeywords(['cafe', 'ok'], true);
    expect(m.find('cafe\u0301')).toBeUndefined(); // a combining mark continues the word
    expect(m.find('ok1')).toBeUndefined();
    expect(m.find('_ok')).toBeUndefined();
    expect(m.find('Жok')).toBeUndefined();
    expect(m.find('😀ok😀')).toBe('ok'); // emoji (a surrogate pair) is not a word character
    expect(m.find('𝐀ok')).toBeUndefined(); // a letter outside the BMP is
  });

  it('compiles keywords with regex syntax and hyphens (the old escaping refused "-" under the u flag)', () => {
    expect(compileKeywords(['gg-wp'], true).find('GG-WP all')).toBe('GG-WP');
    expect(compileKeywords(['a.b', '(x)', '[y]', 'a\\b', 'a/b', '^$', '{1}', '|', '+?'], true).find('say (x) now')).toBe('(x)');
  });

  it('agrees with the lookaround regex on 20,000 generated texts', () => {
    let state = 7;
    const rand = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const pieces = ['gg', 'GG', 'g', 'wp', 'gg wp', 'ggwp', ' ', ' ', '!', '_', '1', 'é', 'e\u0301', '😀', '𝐀', 'Ж', 'ж', 'K', 'k', '\u212a', 'ß', 'ss', '-', 'kappa', 'Kappa', 'İ', 'i'];
    const keywordSets = [['gg'], ['gg', 'gg wp'], ['wp', 'g'], ['kappa', 'k'], ['ж', 'ss'], ['gg-wp', 'ggwp'], ['i', 'ß']];
    let compared = 0;
    for (const keywords of keywordSets) {
      for (const wholeWord of [true, false]) {
        const m = compileKeywords(keywords, wholeWord);
        for (let n = 0; n < 1500; n++) {
          const text = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => pick(pieces)).join('');
          expect(m.find(text), `${JSON.stringify(keywords)} ${wholeWord} ${JSON.stringify(text)}`).toBe(referenceFind(keywords, wholeWord, text));
          compared++;
        }
      }
    }
    expect(compared).toBe(keywordSets.length * 2 * 1500);
  });
});
