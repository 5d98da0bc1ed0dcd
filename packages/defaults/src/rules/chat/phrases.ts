import { AhoCorasick } from '../../triggers/aho-corasick.js';

const WORD_AT_END = /[\p{L}\p{M}\p{N}_]$/u;
const WORD_AT_START = /^[\p{L}\p{M}\p{N}_]/u;

/**
 * Many phrases found in one pass (Aho-Corasick over the lowercased text),
 * each as whole words: a phrase that starts (ends) with a letter, digit or
 * underscore matches only where the text has none right before (after) it,
 * as `\b` would, in any script. "ass" does not match "class".
 */
export class PhraseSet {
  readonly #automaton: AhoCorasick;
  readonly #phrases: readonly string[];

  /** Pattern i is reported as i; phrases are lowercased and trimmed. */
  constructor(phrases: readonly string[]) {
    this.#phrases = phrases.map((p) => p.trim().toLowerCase());
    this.#automaton = new AhoCorasick(this.#phrases);
  }

  get size(): number {
    return this.#phrases.length;
  }

  /** The ids of every phrase found in `text` as whole words, ascending. */
  find(text: string): number[] {
    if (this.#phrases.length === 0) return [];
    const lower = text.toLowerCase();
    const found = new Set<number>();
    this.#automaton.scan(lower, (id, end) => {
      if (found.has(id)) return;
      const phrase = this.#phrases[id]!;
      const start = end - phrase.length;
      if (WORD_AT_START.test(phrase) && WORD_AT_END.test(lower.slice(Math.max(0, start - 2), start))) return;
      if (WORD_AT_END.test(phrase) && WORD_AT_START.test(lower.slice(end, end + 2))) return;
      found.add(id);
    });
    return [...found].sort((a, b) => a - b);
  }
}
