/** YouTube's limit for one chat message, in characters (code points). */
export const YOUTUBE_MESSAGE_LIMIT = 200;

/** Splits a reply into messages of at most 200 code points, on word boundaries where possible. */
export function splitReply(text: string, limit = YOUTUBE_MESSAGE_LIMIT): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  const parts: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = Math.min(chars.length, start + limit);
    if (end < chars.length) {
      const space = chars.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
    const part = chars.slice(start, end).join('').trim();
    if (part.length > 0) parts.push(part);
    start = end;
    while (chars[start] === ' ') start += 1;
  }
  return parts;
}
