import { defineError } from '@streamsuites/kernel';

/*
 * Coded errors of the chat rules (`chatBehaviour`, `monetization`). Gathered
 * into ../../errors.ts and documented in the README "Errors" table.
 */

export const SS_ERR_RULES_BANNED_PHRASE_CONFLICT = defineError(
  'SS_ERR_RULES_BANNED_PHRASE_CONFLICT',
  (phrase: string, triggerPath: string) => `banned phrase "${phrase}" is also a trigger of this creator (${triggerPath})`,
  'A viewer using the trigger would be moderated for it: remove the phrase from chatBehaviour.bannedPhrases, or change the trigger.',
);
export const SS_ERR_RULES_AUTO_REPLY_CONFLICT = defineError(
  'SS_ERR_RULES_AUTO_REPLY_CONFLICT',
  (word: string, triggerPath: string) => `auto-reply "${word}" answers the same word as a trigger of this creator (${triggerPath})`,
  'Both would answer the same message: keep one of them (a command trigger with a chat.reply action does what an auto-reply does).',
);
export const SS_ERR_RULES_REGEX_UNSAFE = defineError(
  'SS_ERR_RULES_REGEX_UNSAFE',
  (pattern: string, problem: string) => `regex /${pattern}/ cannot be used: ${problem}`,
  'Rule regexes run on RE2 (linear time): no backreferences or lookaround, at most 500 characters; escape literal ( [ { . * + ? with a backslash.',
);
export const SS_ERR_RULES_INVALID = defineError(
  'SS_ERR_RULES_INVALID',
  (problem: string) => `invalid rule: ${problem}`,
  'Fix the rule as the "Chat behaviour rules" and "Monetization rules" sections of the @streamsuites/defaults README describe it.',
);
export const SS_ERR_RULES_MODERATION_UNSUPPORTED = defineError(
  'SS_ERR_RULES_MODERATION_UNSUPPORTED',
  (action: string, platform: string, creatorId: string) => `${action} is not available on ${platform} for creator "${creatorId}": warning in chat instead`,
  'The platform plugin has no handler for this moderation action (Rumble has no moderation API): the rule warns in chat instead. Reported once per creator and platform.',
);
export const SS_ERR_RULES_CURRENCY_UNKNOWN = defineError(
  'SS_ERR_RULES_CURRENCY_UNKNOWN',
  (currency: string, creatorId: string, target: string) => `no rate from ${currency} to ${target} for creator "${creatorId}": monetary events in ${currency} are skipped`,
  (currency: string) => `Add "${currency}" to monetization.rates (units of the configured currency per ${currency}). Reported once per creator and currency; skipped events are counted.`,
);
