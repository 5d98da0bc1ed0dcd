/**
 * Whole-word keyword search, case-insensitive, with the meaning of
 * `/(?<![\p{L}\p{M}\p{N}_])(?:k1|k2|…)(?![\p{L}\p{M}\p{N}_])/iu` (keywords
 * longest first) but without per-trigger Unicode property classes.
 *
 * Why: V8 compiles a regex lazily and again for each string width, and
 * `\p{L}` under `iu` costs it about a millisecond each time (case closure of
 * a class of ~130,000 code points). With hundreds of keyword triggers, each
 * used now and then, that compile cost dominated chat matching. Here each
 * trigger's regex is a plain alternation (cheap to compile), and the word
 * boundaries are checked with one shared sticky regex that stays compiled.
 */

/** Letters, marks, digits and underscore, in any script: what counts as "inside a word". */
export const WORD_CHAR_CLASS = '[\\p{L}\\p{M}\\p{N}_]';
const WORD_AT = new RegExp(WORD_CHAR_CLASS, 'uy');

export interface KeywordMatcher {
  /** The keywords, trimmed, lowercased, unique. */
  readonly keywords: readonly string[];
  /** The matched text (as written in the message) of the leftmost match, or undefined. */
  find(text: string): string | undefined;
}

export function compileKeywords(keywords: readonly string[], wholeWord: boolean): KeywordMatcher {
  // Longest first so "good game" wins over "good" at the same place.
  const ordered = [...keywords].sort((a, b) => b.length - a.length).map(escapeRegex);
  const search = new RegExp(`(?:${ordered.join('|')})`, 'giu');
  /** One sticky regex per keyword, made when first needed (a longer keyword ran into a word). */
  let each: RegExp[] | undefined;
  return {
    keywords,
    find(text) {
      search.lastIndex = 0;
      for (;;) {
        const found = search.exec(text);
        if (found === null) return undefined;
        if (!wholeWord) return found[0];
        const start = found.index;
        if (!wordBefore(text, start)) {
          if (!wordAt(text, start + found[0].length)) return found[0];
          // The first keyword matching here runs into a word: a later (shorter) one may end on a boundary.
          each ??= ordered.map((k) => new RegExp(k, 'iuy'));
          for (const keyword of each) {
            keyword.lastIndex = start;
            const here = keyword.exec(text);
            if (here !== null && !wordAt(text, start + here[0].length)) return here[0];
          }
        }
        search.lastIndex = start + codePointLength(text, start);
      }
    },
  };
}

/** Whether the code point starting at `index` is a word character (false at the end). */
function wordAt(text: string, index: number): boolean {
  if (index >= text.length) return false;
  WORD_AT.lastIndex = index;
  return WORD_AT.test(text);
}

/** Whether the code point ending just before `index` is a word character (false at the start). */
function wordBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  let at = index - 1;
  const c = text.charCodeAt(at);
  if (c >= 0xdc00 && c <= 0xdfff && at > 0) {
    const lead = text.charCodeAt(at - 1);
    if (lead >= 0xd800 && lead <= 0xdbff) at--;
  }
  return wordAt(text, at);
}

function codePointLength(text: string, index: number): number {
  const c = text.charCodeAt(index);
  if (c >= 0xd800 && c <= 0xdbff && index + 1 < text.length) {
    const trail = text.charCodeAt(index + 1);
    if (trail >= 0xdc00 && trail <= 0xdfff) return 2;
  }
  return 1;
}

/** Escapes regex syntax characters; only those (and `/`) may be escaped under the `u` flag, so `-` is left as it is. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
