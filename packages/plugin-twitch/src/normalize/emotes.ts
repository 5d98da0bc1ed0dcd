import type { ChatEmote } from '@streamsuites/kernel';

/** Counts the loop iterations of one {@link parseEmotes} call (tests and benches: the work must stay linear in the input). */
export interface EmoteWork {
  steps: number;
}

/**
 * The ranges of the tag being parsed, in arrays reused from call to call
 * (parsing is synchronous, so one set serves): no object per range.
 * `ok`: whether the range as sent fits the text (set once checked).
 */
const ranges = {
  count: 0,
  ids: [] as string[],
  starts: new Int32Array(64),
  lasts: new Int32Array(64),
  ok: new Uint8Array(64),
  push(id: string, start: number, last: number): void {
    if (this.count === this.starts.length) {
      const grow = (from: Int32Array) => {
        const to = new Int32Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.starts = grow(this.starts);
      this.lasts = grow(this.lasts);
      this.ok = new Uint8Array(this.starts.length);
    }
    this.ids[this.count] = id;
    this.starts[this.count] = start;
    this.lasts[this.count++] = last;
  },
  /** Forget the ranges (and drop the id strings, which hold their lines). */
  clear(): void {
    this.ids.fill('', 0, this.count);
    this.count = 0;
    if (this.starts.length > 4096) {
      this.ids = [];
      this.starts = new Int32Array(64);
      this.lasts = new Int32Array(64);
      this.ok = new Uint8Array(64);
    }
  },
};

/**
 * The `emotes` tag → kernel emotes. Twitch ranges are inclusive code-point
 * offsets into the message text (an emoji before an emote counts as one);
 * kernel ranges are code-point offsets with an exclusive end. Ranges that do
 * not fit in the text, cover whitespace or do not parse are dropped, except
 * that a uniform off-by-one from Twitch is repaired (see below). Emote ids may contain `/` (`80481_/3`): a `/`-separated
 * chunk without `:` is joined to the next one.
 *
 * Linear in `tag.length + text.length` (plus sorting the emotes): the tag is
 * scanned once, and whether a range covers whitespace is read from the
 * range's own characters when the ranges are short in total (the usual
 * message), else from a prefix count of whitespace code points instead of
 * re-reading the text per range. `work`, when given, is increased by the number of loop iterations.
 */
export function parseEmotes(tag: string | undefined, text: string, work?: EmoteWork): ChatEmote[] | undefined {
  return tag === undefined ? undefined : parseEmotesIn(tag, 0, tag.length, text, work);
}

/** {@link parseEmotes} of the tag value `tag[from, to)` (a line, say), without slicing it out. */
export function parseEmotesIn(tag: string, from: number, to: number, text: string, work?: EmoteWork): ChatEmote[] | undefined {
  if (to <= from) return undefined;
  ranges.count = 0;
  try {
    return emotesOf(tag, from, to, text, work);
  } finally {
    ranges.clear();
  }
}

function emotesOf(tag: string, from: number, to: number, text: string, work: EmoteWork | undefined): ChatEmote[] | undefined {
  let steps = 0;
  // Pass 1: parse every range (Twitch inclusive ends) into `ranges`, one scan of the tag.
  const n = to;
  let groupStart = from; // start of the current group (chunks without ':' are joined to the next)
  let colon = -1; // last ':' in the current chunk
  for (let i = from; i <= n; i++) {
    steps++;
    const c = i === n ? 47 : tag.charCodeAt(i);
    if (c === 58) colon = i; // ':'
    if (c !== 47) continue; // '/'
    // A chunk ends at i.
    if (colon !== -1) {
      if (colon > groupStart) steps += readRanges(tag, tag.slice(groupStart, colon), colon + 1, i);
      groupStart = i + 1;
    }
    colon = -1;
  }
  const count = ranges.count;
  if (count === 0) {
    if (work !== undefined) work.steps += steps;
    return undefined;
  }
  const { starts, lasts, ok } = ranges;
  // Most texts have no surrogate pairs and a few short emotes: then offsets
  // are UTF-16 offsets and each range's own characters are checked for
  // whitespace directly (at most twice each, so bounded by the text's length).
  // Otherwise a code-point view and a prefix count of whitespace keep the work
  // linear however many ranges overlap. (No closures here: a captured,
  // changing `steps` would slow every line of this function.)
  // (A regex test: one native pass, where charCodeAt per unit costs an indirection on a text sliced from its line.)
  const surrogates = SURROGATE.test(text);
  steps += text.length;
  let covered = 0;
  for (let r = 0; r < count; r++) covered += lasts[r]! - starts[r]! + 1;
  steps += count;
  let units: number[] | undefined;
  let spaces: number[] | undefined;
  let length = text.length;
  if (surrogates || 2 * covered > text.length + 64) {
    // Code-point view of the text, only built when the text has surrogates,
    // and the count of whitespace code points before each code point.
    spaces = [0];
    let spaceCount = 0;
    for (let i = 0; i < text.length; ) {
      steps++;
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (units === undefined && c >= 0xd800 && c <= 0xdfff) {
        units = [];
        for (let k = 0; k < i; k++) units.push(k); // every code point so far was one unit
        steps += i;
      }
      units?.push(i);
      if (!pair && isWhitespace(c)) spaceCount++;
      spaces.push(spaceCount);
      i += pair ? 2 : 1;
    }
    length = spaces.length - 1;
    units?.push(text.length);
  }
  // Twitch sometimes sends every range of a message one code point too far
  // (twitchdev/issues#104; seen in captured lines with non-ASCII text): when
  // a range is wrong and shifting all of them back by one makes every one
  // right, use the shifted ranges. Otherwise wrong ranges are dropped.
  let allValid = true;
  for (let r = 0; r < count; r++) {
    steps += 1 + (spaces === undefined ? lasts[r]! - starts[r]! + 1 : 0);
    const fit = fits(text, length, spaces, starts[r]!, lasts[r]!);
    ok[r] = fit ? 1 : 0;
    if (!fit) allValid = false;
  }
  let shift = 0;
  if (!allValid) {
    shift = -1;
    for (let r = 0; r < count; r++) {
      steps += 1 + (spaces === undefined ? lasts[r]! - starts[r]! + 1 : 0);
      if (!fits(text, length, spaces, starts[r]! - 1, lasts[r]! - 1)) {
        shift = 0;
        break;
      }
    }
  }
  const emotes: ChatEmote[] = [];
  let sorted = true;
  for (let r = 0; r < count; r++) {
    steps++;
    const start = starts[r]! + shift;
    const last = lasts[r]! + shift;
    if (shift === 0 && ok[r] === 0) continue; // (shifted: every range was checked valid above)
    if (emotes.length > 0 && emotes[emotes.length - 1]!.start > start) sorted = false;
    emotes.push({ id: ranges.ids[r]!, name: units === undefined ? text.slice(start, last + 1) : text.slice(units[start], units[last + 1]), start, end: last + 1 });
  }
  if (work !== undefined) work.steps += steps;
  if (emotes.length === 0) return undefined;
  if (!sorted) emotes.sort((x, y) => x.start - y.start);
  return emotes;
}

/**
 * Whether code points `start..last` are inside the text and none is
 * whitespace: read from the prefix count when there is one, else from the
 * characters themselves (offsets are UTF-16 offsets then).
 */
function fits(text: string, length: number, spaces: number[] | undefined, start: number, last: number): boolean {
  if (start < 0 || last >= length || start > last) return false;
  if (spaces !== undefined) return spaces[last + 1] === spaces[start];
  for (let i = start; i <= last; i++) if (isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/** The `,`-separated `start-last` ranges of one emote id in `tag[from, to)`; returns the loop iterations spent. */
function readRanges(tag: string, id: string, from: number, to: number): number {
  let steps = 0;
  let rangeStart = from;
  let dash = -1;
  for (let i = from; i <= to; i++) {
    steps++;
    const c = i === to ? 44 : tag.charCodeAt(i);
    if (c === 45 && dash === -1) dash = i; // first '-'
    if (c !== 44) continue; // ','
    if (dash > rangeStart) {
      const start = digits(tag, rangeStart, dash);
      const last = digits(tag, dash + 1, i);
      if (start !== undefined && last !== undefined && last >= start) ranges.push(id, start, last);
    }
    rangeStart = i + 1;
    dash = -1;
  }
  return steps;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** What `/\s/` matches, for one UTF-16 unit. */
function isWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function digits(s: string, from: number, to: number): number | undefined {
  if (to <= from || to - from > 9) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}
