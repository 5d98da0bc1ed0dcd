import { wellFormed } from '@streamsuites/kernel';

export const DEFAULT_TITLE_MAX_LENGTH = 100;

// C0/C1 controls (tabs and newlines included: titles are one line) and the
// bidi overrides/isolates that can make a title display as something else.
// Zero-width joiners stay: emoji sequences need them.
const CONTROLS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/**
 * A clip title as display data: well-formed UTF-16, control and bidi-override
 * characters replaced by spaces, whitespace collapsed, trimmed, and cut to
 * `maxLength` user-perceived characters (never inside an emoji or a combined
 * character). Titles are never used in paths or commands.
 */
export function sanitizeTitle(raw: string, maxLength = DEFAULT_TITLE_MAX_LENGTH): string {
  const text = wellFormed(raw).replace(CONTROLS, ' ').replace(/\s+/gu, ' ').trim();
  const segments = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  if (segments.length <= maxLength) return text;
  return segments
    .slice(0, maxLength)
    .map((s) => s.segment)
    .join('')
    .trimEnd();
}
