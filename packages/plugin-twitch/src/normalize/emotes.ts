import type { ChatEmote } from '@streamsuites/kernel';

const SURROGATE = /[\uD800-\uDFFF]/;
const WHITESPACE = /\s/;

/**
 * The `emotes` tag → kernel emotes. Twitch ranges are inclusive code-point
 * offsets into the message text (an emoji before an emote counts as one);
 * kernel ranges are code-point offsets with an exclusive end. Ranges that do
 * not fit in the text, cover whitespace or do not parse are dropped, except
 * that a uniform off-by-one from Twitch is repaired (see below). Emote ids may contain `/` (`80481_/3`): a `/`-separated
 * chunk without `:` is joined to the next one.
 */
export function parseEmotes(tag: string | undefined, text: string): ChatEmote[] | undefined {
  if (tag === undefined || tag.length === 0) return undefined;
  // Code-point view of the text, only built when the text has surrogates.
  let units: number[] | undefined;
  let length = text.length;
  if (SURROGATE.test(text)) {
    units = [];
    let i = 0;
    while (i < text.length) {
      units.push(i);
      const c = text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    }
    length = units.length;
    units.push(text.length);
  }
  // Pass 1: parse every range (Twitch inclusive ends).
  const ranges: { id: string; start: number; last: number }[] = [];
  let pending = '';
  for (const chunk of tag.split('/')) {
    const group = pending.length > 0 ? `${pending}/${chunk}` : chunk;
    const colon = group.lastIndexOf(':');
    if (colon === -1) {
      pending = group;
      continue;
    }
    pending = '';
    const id = group.slice(0, colon);
    if (id.length === 0) continue;
    for (const range of group.slice(colon + 1).split(',')) {
      const dash = range.indexOf('-');
      if (dash <= 0) continue;
      const start = digits(range, 0, dash);
      const last = digits(range, dash + 1, range.length);
      if (start === undefined || last === undefined || last < start) continue;
      ranges.push({ id, start, last });
    }
  }
  if (ranges.length === 0) return undefined;
  // Twitch sometimes sends every range of a message one code point too far
  // (twitchdev/issues#104; seen in captured lines with non-ASCII text): when
  // a range is wrong and shifting all of them back by one makes every one
  // right, use the shifted ranges. Otherwise wrong ranges are dropped.
  let shift = 0;
  if (!ranges.every((r) => valid(text, units, length, r.start, r.last)) && ranges.every((r) => valid(text, units, length, r.start - 1, r.last - 1))) shift = -1;
  const emotes: ChatEmote[] = [];
  for (const r of ranges) {
    const start = r.start + shift;
    const last = r.last + shift;
    if (!valid(text, units, length, start, last)) continue;
    emotes.push({ id: r.id, name: slice(text, units, start, last + 1), start, end: last + 1 });
  }
  if (emotes.length === 0) return undefined;
  if (emotes.length > 1) emotes.sort((x, y) => x.start - y.start);
  return emotes;
}

// Module-level helpers (not closures): no allocation per call on the hot path.
function slice(text: string, units: number[] | undefined, start: number, end: number): string {
  return units === undefined ? text.slice(start, end) : text.slice(units[start], units[end]);
}

/** An emote code is never empty, never past the text and never holds whitespace. */
function valid(text: string, units: number[] | undefined, length: number, start: number, last: number): boolean {
  return start >= 0 && last < length && !WHITESPACE.test(slice(text, units, start, last + 1));
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
