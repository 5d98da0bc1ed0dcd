import retModule, { types, type Root, type Token, type tokenizer } from 'ret';
import { RE2JS, RE2JSException } from 're2js';

// ret is CommonJS whose module.exports is the tokenizer; its typings describe
// an ES default export instead. Accept both shapes.
const tokenize = (typeof retModule === 'function' ? retModule : (retModule as { default: unknown }).default) as typeof tokenizer;

/** Longest pattern we accept; longer ones are usually generated and unreviewable. */
export const MAX_PATTERN_LENGTH = 500;

/** A construct of JavaScript regexes that RE2 (linear-time matching) cannot run. */
export interface UnsupportedConstruct {
  /** What it is, for the message: `backreference \1`, `lookahead (?=`... */
  construct: string;
  /** Its 0-based offset in the pattern. */
  index: number;
  /** What to write instead. */
  hint: string;
}

/** A trigger regex compiled for RE2: matching takes time linear in the message, whatever the pattern. */
export interface TriggerRegex {
  readonly re2: RE2JS;
  /** Number of capture groups (each becomes an arg). */
  readonly groups: number;
  /**
   * Whether the trigger index only offers texts containing the pattern's
   * required literal: then most texts tested do match, and the capture
   * engine runs at once instead of after a DFA test.
   */
  readonly prefiltered: boolean;
}

export type RegexCheck =
  | { ok: true; regex: TriggerRegex; literal: string | undefined }
  | { ok: false; reason: 'syntax' | 'too-long'; message: string }
  | { ok: false; reason: 'unsupported'; message: string; unsupported: UnsupportedConstruct };

/**
 * Compiles a trigger regex once for RE2 semantics (re2js: RE2's automata in
 * pure JavaScript), so that no pattern can make matching take more than time
 * linear in the message: catastrophic backtracking is impossible, not merely
 * screened. The pattern is written as a JavaScript regex (its syntax is
 * checked by V8 first, so errors read as they always did, and JS escapes
 * such as `\u{...}` or named groups are translated); what RE2 cannot express
 * (backreferences, lookaround) is refused with the construct and its
 * position. Flags: `i`, `m`, `s` as in JavaScript; `u` and `v` only change
 * the syntax check (RE2 always matches by code point).
 * Also returns the longest literal every match must contain, for the
 * substring prefilter.
 */
export function compileTriggerRegex(pattern: string, flags = ''): RegexCheck {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, reason: 'too-long', message: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return { ok: false, reason: 'syntax', message: (error as Error).message };
  }
  const unsupported = findUnsupported(pattern, flags);
  if (unsupported !== undefined) {
    return { ok: false, reason: 'unsupported', message: `${unsupported.construct} at position ${unsupported.index}`, unsupported };
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(RE2JS.translateRegExp(pattern), re2Flags(flags));
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const detail = error.message.replace(/^error parsing regexp: /, '');
    return {
      ok: false,
      reason: 'unsupported',
      message: `a construct RE2 cannot compile (${detail})`,
      unsupported: {
        construct: `a construct RE2 cannot compile (${detail})`,
        index: Math.max(0, locate(pattern, detail)),
        hint: 'RE2 supports the common syntax (classes, \\d \\w \\s \\b, \\p{L}-style Unicode classes, groups, alternation, quantifiers up to {1000}) but not \\p{Script=...} forms or repeat counts above 1000: write the class or the repetition another way.',
      },
    };
  }
  const literal = requiredLiteral(pattern, flags);
  return { ok: true, regex: { re2, groups: re2.groupCount(), prefiltered: literal !== undefined }, literal };
}

/**
 * The capture groups of the leftmost match (an unmatched group is `''`), or
 * undefined when the text does not match. A pattern without groups, or
 * without a literal for the index to prefilter on (most texts then do not
 * match), runs on RE2's DFA first (`test`), and only a match pays for the
 * capture engine; a prefiltered pattern with groups goes to the capture
 * engine at once (the DFA pass would nearly always say yes; skipping it
 * more than halved the time regex triggers took in the chat pipeline bench).
 */
export function matchTriggerRegex(regex: TriggerRegex, text: string): string[] | undefined {
  if (regex.groups === 0) return regex.re2.test(text) ? [] : undefined;
  if (!regex.prefiltered && !regex.re2.test(text)) return undefined;
  const found = regex.re2.exec(text);
  if (found === null) return undefined;
  const args: string[] = [];
  for (let i = 1; i <= regex.groups; i++) args.push((found[i] as string | null | undefined) ?? '');
  return args;
}

function re2Flags(flags: string): number {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  return bits;
}

/** Where RE2's message quotes the offending text (`... : \`\\p{X}\``), or -1. */
function locate(pattern: string, detail: string): number {
  const quoted = /`([^`]+)`\s*$/.exec(detail)?.[1];
  return quoted === undefined ? -1 : pattern.indexOf(quoted);
}

const BACKREFERENCE_HINT =
  'RE2 matches in linear time and cannot refer back to what a group matched: spell out the repeated text, or write a trigger type of your own (defineTriggerType) that compares the captures in match().';
const LOOKAROUND_HINT =
  'RE2 matches in linear time and has no lookaround: match the surrounding text itself (a capture group keeps the part you want as an arg), use \\b for word boundaries, or use a keyword trigger (whole words) instead.';

/**
 * The first construct of a (syntactically valid) JavaScript pattern that RE2
 * cannot run: a backreference (`\1`, `\k<name>`) or a lookaround (`(?=`,
 * `(?!`, `(?<=`, `(?<!`). Escapes and character classes are skipped, so
 * `[(?=]` or `\(?=` are not lookarounds. (Possessive and atomic forms are
 * syntax errors in JavaScript already.)
 */
export function findUnsupported(pattern: string, flags = ''): UnsupportedConstruct | undefined {
  const nestedClasses = flags.includes('v');
  let classDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      const next = pattern[i + 1] ?? '';
      if (classDepth === 0 && next >= '1' && next <= '9') {
        const digits = /^\d+/.exec(pattern.slice(i + 1))![0];
        return { construct: `backreference \\${digits}`, index: i, hint: BACKREFERENCE_HINT };
      }
      if (classDepth === 0 && next === 'k' && pattern[i + 2] === '<') {
        const end = pattern.indexOf('>', i);
        return { construct: `named backreference ${pattern.slice(i, end === -1 ? i + 3 : end + 1)}`, index: i, hint: BACKREFERENCE_HINT };
      }
      i++; // the escaped character
      continue;
    }
    if (char === '[') {
      if (classDepth === 0 || nestedClasses) classDepth++;
      continue;
    }
    if (char === ']' && classDepth > 0) {
      classDepth--;
      continue;
    }
    if (classDepth > 0 || char !== '(' || pattern[i + 1] !== '?') continue;
    const head = pattern.slice(i, i + 4);
    if (head.startsWith('(?=')) return { construct: 'lookahead (?=', index: i, hint: LOOKAROUND_HINT };
    if (head.startsWith('(?!')) return { construct: 'negative lookahead (?!', index: i, hint: LOOKAROUND_HINT };
    if (head === '(?<=') return { construct: 'lookbehind (?<=', index: i, hint: LOOKAROUND_HINT };
    if (head === '(?<!') return { construct: 'negative lookbehind (?<!', index: i, hint: LOOKAROUND_HINT };
  }
  return undefined;
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
