import { MAX_LABEL_LENGTH } from './config.js';

/** A lone surrogate (broken UTF-16 from a platform): not storable as a state key. */
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * Printable ASCII words joined by single spaces: nothing for cleanLabel to
 * change (ASCII is NFC, has no surrogates, and no whitespace but those spaces).
 */
const PLAIN = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/**
 * Labels as people type them: surrounding spaces removed, inner runs of
 * whitespace collapsed, Unicode NFC, lone surrogates replaced by U+FFFD.
 * Two labels are the same when their keys are (case-insensitive), so
 * `Pizza`, ` pizza ` and `PIZZA` count as one.
 */
export function cleanLabel(raw: string): string {
  if (PLAIN.test(raw)) return raw; // already clean: the common case of chat votes and labels, without four copies
  return raw.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** The identity of a label (case-insensitive). */
export function labelKey(label: string): string {
  return cleanLabel(label).toLowerCase();
}

/** Why a label cannot be used, or undefined when it can. */
export function labelProblem(label: string): string | undefined {
  if (label.length === 0) return 'the label is empty';
  if ([...label].length > MAX_LABEL_LENGTH) return `the label is longer than ${MAX_LABEL_LENGTH} characters`;
  return undefined;
}

/** Code-point order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First duplicate (ignoring case) in a list of labels, if any. */
export function firstDuplicate(labels: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const label of labels) {
    const key = labelKey(label);
    if (seen.has(key)) return label;
    seen.add(key);
  }
  return undefined;
}
