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

// file:// URLs, and ffmpeg's `file:/abs/path` inputs and outputs (quoted in its errors).
const FILE_URL = /\bfile:(?:\/\/)?(?=[\/\\]|[A-Za-z]:[\\/])[^\s'"<>()]*/gi;
const WINDOWS_PATH = /(?<![A-Za-z0-9])(?:[A-Za-z]:[\\/]|\\\\[^\\\s'"<>]+\\)[^\s'"<>()]*/g;
const POSIX_PATH = /(?<=^|[\s'"(=[,])\/(?!\/)[^\s'"<>()[\],;]+/g;

/**
 * Replaces every absolute local path (POSIX, Windows drive or UNC, file://
 * URL) inside a text with `…/<file name>`: error texts quote the files they
 * failed on, and the dashboard files they go into may be published off the
 * machine. URLs (`https://host/path`) are left alone.
 */
export function maskLocalPaths(text: string): string {
  const mask = (match: string): string => {
    const trimmed = match.replace(/[.:]+$/, '');
    const name = trimmed.split(/[\\/]/).filter((part) => part !== '').pop() ?? '';
    return `…/${name}${match.slice(trimmed.length)}`;
  };
  return text.replace(FILE_URL, mask).replace(WINDOWS_PATH, mask).replace(POSIX_PATH, mask);
}
