import { defineTriggerType, type AnyTriggerType } from '@streamsuites/kernel';
import { SS_ERR_TRIGGER_INVALID, SS_ERR_TRIGGER_REGEX_UNSUPPORTED } from '../errors.js';
import { Type } from '@streamsuites/kernel';
import { eventTriggerType } from './event-type.js';
import { compileKeywords } from './keywords.js';
import { compileTriggerRegex, matchTriggerRegex } from './regex.js';
import { splitArgs } from './template.js';
import { afterFirstToken, firstToken } from './trigger-index.js';

/** `!clip 45 funny moment`: the first token, case-insensitive, with aliases. */
const CommandParams = Type.Object(
  {
    command: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$' }),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$' }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const commandTriggerType = defineTriggerType({
  type: 'command',
  paramsSchema: CommandParams,
  compile: ({ command, aliases = [] }) => ({ names: [...new Set([command, ...aliases].map((n) => n.toLowerCase()))] }),
  index: (state) => ({ firstTokens: state.names }),
  match(message, state) {
    const first = firstToken(message.text);
    return first !== undefined && state.names.includes(first) ? splitArgs(afterFirstToken(message.text)) : undefined;
  },
});

/** Any of many keywords, as whole words, case-insensitive. Args: the keyword that matched. */
const KeywordParams = Type.Object(
  {
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 1000 }),
    wholeWord: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const keywordTriggerType = defineTriggerType({
  type: 'keyword',
  paramsSchema: KeywordParams,
  compile({ keywords, wholeWord = true }) {
    const unique = [...new Set(keywords.map((k) => k.trim().toLowerCase()).filter((k) => k.length > 0))];
    if (unique.length === 0) {
      throw new SS_ERR_TRIGGER_INVALID('keyword', 'every keyword is blank', {
        hint: 'Give params.keywords at least one keyword with a character other than spaces.',
      });
    }
    return compileKeywords(unique, wholeWord);
  },
  index: (state) => ({ substrings: [...state.keywords] }),
  match(message, state) {
    const found = state.find(message.text);
    return found === undefined ? undefined : [found];
  },
});

/** A JavaScript-syntax regex, compiled once for RE2 (linear-time matching, no backtracking). Args: the capture groups. */
const RegexParams = Type.Object(
  {
    pattern: Type.String({ minLength: 1 }),
    flags: Type.Optional(Type.String({ pattern: '^[imsuv]*$' })),
  },
  { additionalProperties: false },
);

export const regexTriggerType = defineTriggerType({
  type: 'regex',
  paramsSchema: RegexParams,
  compile({ pattern, flags = '' }) {
    // g and y make RegExp stateful (lastIndex); they are refused by the schema.
    const checked = compileTriggerRegex(pattern, flags);
    if (!checked.ok) {
      if (checked.reason === 'unsupported') {
        const { construct, index, hint } = checked.unsupported;
        throw new SS_ERR_TRIGGER_REGEX_UNSUPPORTED(pattern, construct, index, { hint, details: { construct, index } });
      }
      throw new SS_ERR_TRIGGER_INVALID('regex', `invalid pattern: ${checked.message}`, {
        hint: 'Write params.pattern as a JavaScript regular expression without the surrounding slashes (flags go in params.flags); escape a literal ( [ { . * + ? with a backslash, written \\\\ in JSON.',
      });
    }
    return { regex: checked.regex, literal: checked.literal };
  },
  index: (state) => (state.literal === undefined ? {} : { substrings: [state.literal] }),
  match(message, state) {
    return matchTriggerRegex(state.regex, message.text);
  },
});

/** `event` (event-type.ts) fires on bus events rather than chat; the registry and pipeline treat it apart. */
export const builtinTriggerTypes: readonly AnyTriggerType[] = [commandTriggerType, keywordTriggerType, regexTriggerType, eventTriggerType];
