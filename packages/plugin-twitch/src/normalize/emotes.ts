import type { ChatEmote } from '@streamsuites/kernel';

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The `emotes` tag → kernel emotes. Twitch ranges are inclusive code-point
 * offsets into the message text (an emoji before an emote counts as one);
 * kernel ranges are code-point offsets with an exclusive end. Ranges that do
 * not fit in the text (a known Twitch bug, twitchdev/issues#104) or do not
 * parse are dropped. Emote ids may contain `/` (`80481_/3`): a `/`-separated
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
  const emotes: ChatEmote[] = [];
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
      if (start === undefined || last === undefined || last < start || last >= length) continue;
      const end = last + 1;
      const name = units === undefined ? text.slice(start, end) : text.slice(units[start], units[end]);
      emotes.push({ id, name, start, end });
    }
  }
  if (emotes.length === 0) return undefined;
  if (emotes.length > 1) emotes.sort((x, y) => x.start - y.start);
  return emotes;
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
