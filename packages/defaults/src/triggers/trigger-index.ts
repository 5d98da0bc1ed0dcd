import type { ChatMessage } from '@streamsuites/kernel';
import { AhoCorasick, foldCase } from './aho-corasick.js';

/** What the index needs of a compiled trigger. */
export interface Indexable {
  firstTokens: readonly string[];
  substrings: readonly string[];
}

/**
 * Finds the triggers worth testing for a message without looking at every
 * trigger: one map lookup on the first token, one Aho-Corasick pass over the
 * lowercased text for keywords and regex literals, plus the few triggers
 * that declared no index keys. Candidates come back in definition order.
 */
export class TriggerIndex<T extends Indexable> {
  readonly #triggers: readonly T[];
  readonly #byFirstToken = new Map<string, number[]>();
  readonly #automaton: AhoCorasick | undefined;
  /** Trigger positions per automaton pattern. */
  readonly #byPattern: number[][] = [];
  readonly #unindexed: number[] = [];
  /** Generation stamps: dedupe candidates without allocating a Set per message. */
  readonly #seen: Uint32Array;
  #generation = 0;
  /** Where {@link candidates} collects positions during one call (reused: no array per message). */
  readonly #positions: number[] = [];
  /** First UTF-16 units of the first tokens (lowercase and uppercase): a message starting otherwise skips the token lookup. */
  readonly #tokenStarts = new Set<number>();

  constructor(triggers: readonly T[]) {
    this.#triggers = triggers;
    this.#seen = new Uint32Array(triggers.length);
    const patternIds = new Map<string, number>();
    triggers.forEach((trigger, position) => {
      for (const token of trigger.firstTokens) {
        push(this.#byFirstToken, token, position);
        this.#tokenStarts.add(token.charCodeAt(0));
        this.#tokenStarts.add(token.charAt(0).toUpperCase().charCodeAt(0));
      }
      for (const raw of trigger.substrings) {
        const substring = foldCase(raw);
        let id = patternIds.get(substring);
        if (id === undefined) {
          id = patternIds.size;
          patternIds.set(substring, id);
          this.#byPattern.push([]);
        }
        this.#byPattern[id]!.push(position);
      }
      if (trigger.firstTokens.length === 0 && trigger.substrings.length === 0) this.#unindexed.push(position);
    });
    this.#automaton = patternIds.size === 0 ? undefined : new AhoCorasick([...patternIds.keys()]);
  }

  candidates(message: ChatMessage): T[] {
    const text = message.text;
    const generation = this.#nextGeneration();
    const positions = this.#positions;
    positions.length = 0;
    if (this.#byFirstToken.size > 0 && this.#mayStartWithToken(text)) {
      const first = firstToken(text);
      const listed = first === undefined ? undefined : this.#byFirstToken.get(first);
      if (listed !== undefined) for (const position of listed) this.#add(position, generation);
    }
    if (this.#automaton !== undefined) this.#automaton.scanFolded(text, this.#onPattern);
    for (const position of this.#unindexed) this.#add(position, generation);
    if (positions.length === 0) return [];
    if (positions.length > 1) positions.sort((a, b) => a - b);
    const found: T[] = new Array(positions.length);
    for (let i = 0; i < positions.length; i++) found[i] = this.#triggers[positions[i]!]!;
    return found;
  }

  /**
   * Whether the text's first non-space unit could begin an indexed first
   * token (most chat does not start with `!`). A non-ASCII start always may:
   * its lowercase form is not a per-character question.
   */
  #mayStartWithToken(text: string): boolean {
    let i = 0;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i === text.length) return false;
    const code = text.charCodeAt(i);
    return code > 127 || this.#tokenStarts.has(code);
  }

  /** Made once, not per message: the automaton's match callback. */
  readonly #onPattern = (id: number): void => {
    for (const position of this.#byPattern[id]!) this.#add(position, this.#generation);
  };

  #add(position: number, generation: number): void {
    if (this.#seen[position] !== generation) {
      this.#seen[position] = generation;
      this.#positions.push(position);
    }
  }

  #nextGeneration(): number {
    this.#generation = (this.#generation + 1) >>> 0;
    if (this.#generation === 0) {
      this.#seen.fill(0);
      this.#generation = 1;
    }
    return this.#generation;
  }
}

/** First whitespace-separated token, lowercased (a quoted first token is not a command). */
export function firstToken(text: string): string | undefined {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  if (start === text.length) return undefined;
  let end = start;
  let lower = true;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (isSpace(code)) break;
    if ((code >= 65 && code <= 90) || code > 127) lower = false;
  }
  // Most first tokens are lowercase ASCII already: no second copy for those.
  const token = text.slice(start, end);
  return lower ? token : token.toLowerCase();
}

/** Exactly JavaScript's `\s`, so the first token agrees with splitArgs. */
export function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The text after the first token (for argument parsing). */
export function afterFirstToken(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  while (start < text.length && !isSpace(text.charCodeAt(start))) start++;
  return text.slice(start);
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
