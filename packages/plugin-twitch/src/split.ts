/** Twitch drops chat messages longer than this many characters. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * Splits a reply into chunks of at most `max` code points, breaking at the
 * last whitespace before the limit (a single word longer than the limit is
 * cut). Never splits a surrogate pair; blank chunks are dropped.
 */
export function splitMessage(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  const points = [...text.replace(/[\r\n]+/g, ' ').trim()];
  const chunks: string[] = [];
  let start = 0;
  while (start < points.length) {
    let end = Math.min(start + max, points.length);
    if (end < points.length) {
      let space = end;
      while (space > start && !/\s/.test(points[space]!)) space--;
      if (space > start) end = space;
    }
    const chunk = points.slice(start, end).join('').trim();
    if (chunk.length > 0) chunks.push(chunk);
    start = end;
    while (start < points.length && /\s/.test(points[start]!)) start++;
  }
  return chunks;
}
