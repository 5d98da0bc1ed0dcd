/**
 * Aho-Corasick: finds every occurrence of many patterns in one pass over the
 * text, whatever the number of patterns. Written here (about 80 lines)
 * because the npm implementations are unmaintained or allocate per match;
 * this one reports pattern ids through a callback and allocates nothing per
 * scan.
 *
 * States are integers; transitions live in one Map per state keyed by UTF-16
 * code unit, built once. After construction the goto function is completed
 * with failure links, so a scan is one map lookup per character.
 */
export class AhoCorasick {
  readonly #transitions: Map<number, number>[] = [new Map()];
  readonly #fail: number[] = [0];
  /** Pattern ids ending at each state, including those inherited through failure links. */
  readonly #outputs: number[][] = [[]];
  readonly #lengths: number[] = [];

  /** @param patterns non-empty strings; pattern i is reported as id i. */
  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, id) => this.#insert(pattern, id));
    this.#link();
  }

  get patternCount(): number {
    return this.#lengths.length;
  }

  /** Calls `onMatch(patternId, endIndex)` for every occurrence (endIndex exclusive). */
  scan(text: string, onMatch: (patternId: number, end: number) => void): void {
    let state = 0;
    const transitions = this.#transitions;
    const outputs = this.#outputs;
    for (let i = 0; i < text.length; i++) {
      state = transitions[state]!.get(text.charCodeAt(i)) ?? 0;
      const found = outputs[state]!;
      for (let k = 0; k < found.length; k++) onMatch(found[k]!, i + 1);
    }
  }

  /** Length of pattern `id`, to find where a match starts. */
  lengthOf(id: number): number {
    return this.#lengths[id]!;
  }

  #insert(pattern: string, id: number): void {
    this.#lengths[id] = pattern.length;
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let next = this.#transitions[state]!.get(code);
      if (next === undefined) {
        next = this.#transitions.length;
        this.#transitions.push(new Map());
        this.#fail.push(0);
        this.#outputs.push([]);
        this.#transitions[state]!.set(code, next);
      }
      state = next;
    }
    this.#outputs[state]!.push(id);
  }

  /** Breadth-first: failure links, inherited outputs, and the completed goto function. */
  #link(): void {
    const queue: number[] = [];
    for (const next of this.#transitions[0]!.values()) queue.push(next);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const fail = this.#fail[state]!;
      if (this.#outputs[fail]!.length > 0) this.#outputs[state] = [...this.#outputs[state]!, ...this.#outputs[fail]!];
      for (const [code, next] of this.#transitions[state]!) {
        this.#fail[next] = this.#transitions[fail]!.get(code) ?? 0;
        if (this.#fail[next] === next) this.#fail[next] = 0;
        queue.push(next);
      }
      // Complete the goto function: missing transitions follow the failure state's.
      for (const [code, target] of this.#transitions[fail]!) {
        if (!this.#transitions[state]!.has(code) && state !== 0) this.#transitions[state]!.set(code, target);
      }
    }
  }
}
