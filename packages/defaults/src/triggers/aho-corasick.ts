/**
 * Aho-Corasick: finds every occurrence of many patterns in one pass over the
 * text, whatever the number of patterns. Written here (about 90 lines)
 * because the npm implementations are unmaintained or allocate per match;
 * this one reports pattern ids through a callback and allocates nothing per
 * scan.
 *
 * The root's transitions are a flat table indexed by UTF-16 code unit (the
 * root is visited on most characters of ordinary chat); deeper states keep a
 * Map of their real children only and fall back along failure links, which
 * keeps memory proportional to the patterns' total length.
 */
export class AhoCorasick {
  readonly #root = new Int32Array(0x10000);
  readonly #children: Map<number, number>[] = [new Map()];
  readonly #fail: number[] = [0];
  /** Pattern ids ending at each state, including those inherited through failure links. */
  readonly #outputs: (number[] | undefined)[] = [undefined];
  readonly #lengths: number[] = [];

  /** @param patterns non-empty strings; pattern i is reported as id i. */
  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, id) => this.#insert(pattern, id));
    for (const [code, next] of this.#children[0]!) this.#root[code] = next;
    this.#link();
  }

  get patternCount(): number {
    return this.#lengths.length;
  }

  /** Calls `onMatch(patternId, endIndex)` for every occurrence (endIndex exclusive). */
  scan(text: string, onMatch: (patternId: number, end: number) => void): void {
    const root = this.#root;
    const children = this.#children;
    const fail = this.#fail;
    const outputs = this.#outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      while (state !== 0) {
        const next = children[state]!.get(code);
        if (next !== undefined) {
          state = next;
          break;
        }
        state = fail[state]!;
      }
      if (state === 0) state = root[code]!;
      const found = outputs[state];
      if (found !== undefined) for (let k = 0; k < found.length; k++) onMatch(found[k]!, i + 1);
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
      let next = this.#children[state]!.get(code);
      if (next === undefined) {
        next = this.#children.length;
        this.#children.push(new Map());
        this.#fail.push(0);
        this.#outputs.push(undefined);
        this.#children[state]!.set(code, next);
      }
      state = next;
    }
    this.#outputs[state] = [...(this.#outputs[state] ?? []), id];
  }

  /** Breadth-first: failure links and inherited outputs. */
  #link(): void {
    const queue: number[] = [...this.#children[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, next] of this.#children[state]!) {
        let fallback = this.#fail[state]!;
        while (fallback !== 0 && !this.#children[fallback]!.has(code)) fallback = this.#fail[fallback]!;
        const target = fallback === 0 ? this.#root[code]! : this.#children[fallback]!.get(code)!;
        this.#fail[next] = target === next ? 0 : target;
        const inherited = this.#outputs[this.#fail[next]!];
        if (inherited !== undefined) this.#outputs[next] = [...(this.#outputs[next] ?? []), ...inherited];
        queue.push(next);
      }
    }
  }
}
