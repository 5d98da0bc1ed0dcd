import retModule, { types, type Root, type Token, type tokenizer } from 'ret';
import safeRegex from 'safe-regex2';

// ret is CommonJS whose module.exports is the tokenizer; its typings describe
// an ES default export instead. Accept both shapes.
const tokenize = (typeof retModule === 'function' ? retModule : (retModule as { default: unknown }).default) as typeof tokenizer;

/** Longest pattern we accept; longer ones are usually generated and unreviewable. */
export const MAX_PATTERN_LENGTH = 500;

export type RegexCheck =
  | { ok: true; regex: RegExp; literal: string | undefined }
  | { ok: false; reason: 'syntax' | 'unsafe' | 'too-long'; message: string };

/**
 * Compiles a trigger regex once, refusing patterns that risk catastrophic
 * backtracking. The check is safe-regex2 (Fastify's maintained fork of
 * safe-regex: star height ≤ 1 and a repetition limit), chosen over RE2
 * engines because it keeps JavaScript regex semantics (lookbehind, named
 * groups, \p{...}) that trigger authors already know, needs no native build,
 * and runs in microseconds at load. Also returns the longest literal every
 * match must contain, for the substring prefilter.
 */
export function compileTriggerRegex(pattern: string, flags = ''): RegexCheck {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, reason: 'too-long', message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    return { ok: false, reason: 'syntax', message: (error as Error).message };
  }
  if (!safeRegex(regex)) {
    return {
      ok: false,
      reason: 'unsafe',
      message: 'nested or overlapping repetition can make matching take exponential time (catastrophic backtracking)',
    };
  }
  return { ok: true, regex, literal: requiredLiteral(pattern, flags) };
}

/**
 * The longest run of literal characters in the top-level sequence of the
 * pattern: every match contains it. Only the top level counts, since text
 * inside groups, alternations or optional parts need not appear. Lowercased,
 * because the prefilter scans lowercased text (a lowercase literal is a
 * necessary condition for both case-sensitive and `i` patterns).
 */
export function requiredLiteral(pattern: string, flags: string): string | undefined {
  let root: Root;
  try {
    root = tokenize(pattern) as Root;
  } catch {
    return undefined;
  }
  if (root.options !== undefined || root.stack === undefined) return undefined;
  // With the unicode flag ret's char codes are still UTF-16 units; fine for lowercasing.
  void flags;
  let best = '';
  let run = '';
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (const token of root.stack as Token[]) {
    if (token.type === types.CHAR) run += String.fromCharCode(token.value);
    else if (token.type === types.POSITION) continue;
    else flush();
  }
  flush();
  const literal = best.toLowerCase();
  // A literal whose lowercase form changes length (e.g. "İ") cannot be scanned reliably.
  return literal.length >= 2 && literal.length === best.length ? literal : undefined;
}
