/**
 * Text helpers every platform plugin needs when it normalizes chat, kept
 * here so all platforms treat text the same way.
 */

/** Replaces lone surrogates (from broken UTF-16 or invalid UTF-8 decoding) with U+FFFD, so text is safe to store and serialize. */
export function wellFormed(text: string): string {
  const s = text as string & { isWellFormed?: () => boolean; toWellFormed?: () => string };
  if (s.isWellFormed === undefined) return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return s.isWellFormed() ? text : s.toWellFormed!();
}

/**
 * Two FNV-1a 32-bit passes with different offsets: a stable 64-bit hex id
 * (16 characters) for platform items that come without an id, so the same
 * item always gets the same id and dedupe still works.
 */
export function stableHash(input: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
