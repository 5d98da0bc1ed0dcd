/**
 * Aho-Corasick: finds every occurrence of many patterns in one pass over the
 * text, whatever the number of patterns. Written here (about 90 lines)
 * because the npm implementations are unmaintained or allocate per match;
 * this one reports pattern ids through a callback and allocates nothing per
 * scan.
 *
 * The root's transitions are a flat table indexed by UTF-16 code unit (the
 * root is visited on most characters of ordinary chat); deeper states keep
 * only their real children, in flat typed arrays, and fall back along
 * failure links, which keeps memory proportional to the patterns' total
 * length.
 */
/**
 * Lowercase, then the characters whose lowercase form is not what a
 * case-insensitive regex (`i`, simple case folding) treats them as: final
 * sigma is sigma, long s is s, and the Greek symbol variants are their
 * letters. Folding both the patterns and the text makes a substring search
 * a necessary condition for a case-insensitive match.
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return FOLD_PATTERN.test(lower) ? lower.replace(FOLD_PATTERN, (c) => FOLD[c]!) : lower;
}

const FOLD: Record<string, string> = {
  'ς': 'σ', 'ſ': 's', 'ϐ': 'β', 'ϑ': 'θ', 'ϕ': 'φ', 'ϖ': 'π', 'ϰ': 'κ', 'ϱ': 'ρ', 'ϵ': 'ε', 'ẛ': 'ṡ', '\u0345': 'ι', '\u1fbe': 'ι', 'ﬅ': 'ﬆ',
};
const FOLD_PATTERN = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'g');

/** States with at least this many children get a full ASCII transition row. */
const DENSE_CHILDREN = 3;

export class AhoCorasick {
  readonly #root = new Int32Array(0x10000);
  /** Children of each state after construction, as one flat sorted list per state: codes[first[s] .. first[s+1]). */
  readonly #first: Int32Array;
  readonly #codes: Uint16Array;
  readonly #targets: Int32Array;
  readonly #fail: Int32Array;
  /** Pattern ids ending at each state (inherited through failure links too): ids[outFirst[s] .. outFirst[s+1]). */
  readonly #outFirst: Int32Array;
  readonly #outIds: Int32Array;
  readonly #lengths: number[] = [];
  /**
   * Full ASCII transition rows for the states with many children (the ones
   * ordinary text keeps passing through): one read instead of a child search
   * and failure links. rowOf[state] is the row, or -1; columns are the ASCII
   * characters that occur in patterns (classOf; 0 for the others).
   */
  readonly #rowOf: Int32Array;
  readonly #rows: Int32Array;
  readonly #classOf = new Uint8Array(128);
  readonly #classes: number;

  /** @param patterns non-empty strings; pattern i is reported as id i. */
  constructor(patterns: readonly string[]) {
    // Built with Maps, then frozen into typed arrays: a state's few children
    // are found by a short linear scan, much cheaper per character than a
    // Map lookup, and the automaton takes a few flat arrays of memory.
    const children: Map<number, number>[] = [new Map()];
    const outputs: (number[] | undefined)[] = [undefined];
    patterns.forEach((pattern, id) => this.#insert(pattern, id, children, outputs));
    for (const [code, next] of children[0]!) this.#root[code] = next;
    const fail = this.#link(children, outputs);
    const states = children.length;
    this.#fail = Int32Array.from(fail);
    this.#first = new Int32Array(states + 1);
    this.#outFirst = new Int32Array(states + 1);
    let edges = 0;
    let outs = 0;
    for (let s = 0; s < states; s++) {
      edges += s === 0 ? 0 : children[s]!.size;
      outs += outputs[s]?.length ?? 0;
    }
    this.#codes = new Uint16Array(edges);
    this.#targets = new Int32Array(edges);
    this.#outIds = new Int32Array(outs);
    edges = 0;
    outs = 0;
    for (let s = 0; s < states; s++) {
      this.#first[s] = edges;
      if (s !== 0) {
        for (const [code, next] of [...children[s]!].sort((a, b) => a[0] - b[0])) {
          this.#codes[edges] = code;
          this.#targets[edges++] = next;
        }
      }
      this.#outFirst[s] = outs;
      for (const id of outputs[s] ?? []) this.#outIds[outs++] = id;
    }
    this.#first[states] = edges;
    this.#outFirst[states] = outs;

    let classes = 1;
    for (const pattern of patterns) {
      for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        if (code < 128 && this.#classOf[code] === 0) this.#classOf[code] = classes++;
      }
    }
    this.#classes = classes;
    const goto = (state: number, code: number): number => {
      for (let at = state; at !== 0; at = fail[at]!) {
        const next = children[at]!.get(code);
        if (next !== undefined) return next;
      }
      return this.#root[code]!;
    };
    this.#rowOf = new Int32Array(states).fill(-1);
    const branchy: number[] = [];
    for (let state = 1; state < states; state++) if (children[state]!.size >= DENSE_CHILDREN) branchy.push(state);
    this.#rows = new Int32Array(branchy.length * classes);
    branchy.forEach((state, row) => {
      this.#rowOf[state] = row;
      for (let code = 0; code < 128; code++) {
        const column = this.#classOf[code]!;
        if (column !== 0 || code === 0) this.#rows[row * classes + column] = column === 0 ? 0 : goto(state, code);
      }
    });
  }

  get patternCount(): number {
    return this.#lengths.length;
  }

  /** Calls `onMatch(patternId, endIndex)` for every occurrence (endIndex exclusive). */
  scan(text: string, onMatch: (patternId: number, end: number) => void): void {
    this.#run(text, false, onMatch, 0);
  }

  /**
   * `scan(foldCase(text), onMatch)` without making the folded copy when the
   * text is ASCII (most chat): letters are lowercased as they are read, in
   * one pass. At the first other character the rest is scanned in the folded
   * text (lowercasing is not per character there: final sigma, dotted I),
   * reporting only what ends after the ASCII part already scanned. Give the
   * patterns folded too.
   */
  scanFolded(text: string, onMatch: (patternId: number, end: number) => void): void {
    const stopped = this.#run(text, true, onMatch, 0);
    if (stopped !== -1) this.#run(foldCase(text), false, onMatch, stopped);
  }

  /**
   * The scan loop. With `asciiLower`, A-Z are lowercased as read and the
   * loop stops at the first non-ASCII unit, returning its index (else -1).
   * Matches ending at or before `reportAfter` are not reported. Hot: fields
   * are read into locals once, and the text is read once (a message's text is
   * usually a slice of its line, where every charCodeAt costs an indirection).
   */
  #run(text: string, asciiLower: boolean, onMatch: (patternId: number, end: number) => void, reportAfter: number): number {
    const root = this.#root;
    const first = this.#first;
    const codes = this.#codes;
    const targets = this.#targets;
    const fail = this.#fail;
    const outFirst = this.#outFirst;
    const outIds = this.#outIds;
    const rowOf = this.#rowOf;
    const rows = this.#rows;
    const classOf = this.#classOf;
    const classes = this.#classes;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (asciiLower) {
        if (code > 127) return i;
        if (code >= 65 && code <= 90) code += 32;
      }
      let next = -1;
      while (state !== 0) {
        const row = code < 128 ? rowOf[state]! : -1;
        if (row !== -1) {
          next = rows[row * classes + classOf[code]!]!;
          break;
        }
        const end = first[state + 1]!;
        for (let k = first[state]!; k < end; k++) {
          if (codes[k] === code) {
            next = targets[k]!;
            break;
          }
        }
        if (next !== -1) break;
        state = fail[state]!;
      }
      state = next !== -1 ? next : root[code]!;
      const last = outFirst[state + 1]!;
      if (i >= reportAfter) for (let k = outFirst[state]!; k < last; k++) onMatch(outIds[k]!, i + 1);
    }
    return -1;
  }

  /** Length of pattern `id`, to find where a match starts. */
  lengthOf(id: number): number {
    return this.#lengths[id]!;
  }

  #insert(pattern: string, id: number, children: Map<number, number>[], outputs: (number[] | undefined)[]): void {
    this.#lengths[id] = pattern.length;
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let next = children[state]!.get(code);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push(undefined);
        children[state]!.set(code, next);
      }
      state = next;
    }
    outputs[state] = [...(outputs[state] ?? []), id];
  }

  /** Breadth-first: failure links and inherited outputs. */
  #link(children: Map<number, number>[], outputs: (number[] | undefined)[]): number[] {
    const fail: number[] = children.map(() => 0);
    const queue: number[] = [...children[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, next] of children[state]!) {
        let fallback = fail[state]!;
        while (fallback !== 0 && !children[fallback]!.has(code)) fallback = fail[fallback]!;
        const target = fallback === 0 ? this.#root[code]! : children[fallback]!.get(code)!;
        fail[next] = target === next ? 0 : target;
        const inherited = outputs[fail[next]!];
        if (inherited !== undefined) outputs[next] = [...(outputs[next] ?? []), ...inherited];
        queue.push(next);
      }
    }
    return fail;
  }
}
