import { PLUGIN_ID_PATTERN, Type, type Static } from '@streamsuites/kernel';
import { ActionDescriptorSchema } from '../../triggers/schema.js';

const Duration = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$',
  description: 'A duration such as "500ms", "30s", "5m", "1h".',
});

const Platforms = Type.Array(Type.String({ pattern: PLUGIN_ID_PATTERN }), {
  description: 'Only on these platforms (e.g. ["twitch", "youtube"]); omitted: every platform.',
});

const Role = Type.Union([Type.Literal('broadcaster'), Type.Literal('moderator'), Type.Literal('vip'), Type.Literal('subscriber'), Type.Literal('member')]);

const Regex = Type.Object(
  {
    pattern: Type.String({ minLength: 1, description: 'A JavaScript-syntax regex, run on RE2 (no backreferences or lookaround).' }),
    flags: Type.Optional(Type.String({ pattern: '^[imsuv]*$', description: 'Regex flags; matching is always case-insensitive for banned phrases.' })),
  },
  { additionalProperties: false, description: 'A regex, as regex triggers take it: a pattern and optional flags.' },
);

/** What an auto-reply answers: exactly one of keyword, command or regex. */
const AutoReplyMatch = Type.Union(
  [
    Type.Object(
      { keyword: Type.String({ minLength: 1, maxLength: 100, description: 'A whole word or phrase anywhere in the message, case-insensitive.' }) },
      { additionalProperties: false, description: 'Answer messages holding a keyword.' },
    ),
    Type.Object(
      { command: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$', description: 'The first word of the message, e.g. "!discord".' }) },
      { additionalProperties: false, description: 'Answer a command: the first word of the message, case-insensitive.' },
    ),
    Type.Object({ regex: Regex }, { additionalProperties: false, description: 'Answer messages a regex matches (run on RE2).' }),
  ],
  { description: 'One of { keyword }, { command } or { regex: { pattern, flags? } }.' },
);

export const AutoReplySchema = Type.Object(
  {
    match: AutoReplyMatch,
    text: Type.String({ minLength: 1, maxLength: 2000, description: 'The reply; placeholders as in chat.reply ({user}, {login}, {platform}, {text}...).' }),
    cooldown: Type.Optional(Duration),
    platforms: Type.Optional(Platforms),
  },
  {
    additionalProperties: false,
    description: 'One automatic reply. The first matching reply not on its `cooldown` (per creator, per reply) answers; one reply per message.',
  },
);

const ModerationAction = Type.Union([Type.Literal('delete'), Type.Literal('timeout'), Type.Literal('warn')], {
  description: 'delete the message, time the author out, or warn them in chat. Where the platform cannot delete or time out, a warning is sent instead.',
});

export const BannedPhraseSchema = Type.Object(
  {
    phrase: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A word or phrase, matched case-insensitively as whole words.' })),
    regex: Type.Optional(Regex),
    action: ModerationAction,
    timeoutSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_209_600, default: 600, description: 'For "timeout" (Twitch allows up to two weeks).' })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'Shown to the moderators with a timeout.' })),
    warnText: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'The warning (and the fallback reply); default "{user}, please mind the chat rules."' })),
    platforms: Type.Optional(Platforms),
  },
  { additionalProperties: false, description: 'Exactly one of phrase or regex.' },
);

export const ChatBehaviourSchema = Type.Object(
  {
    exemptRoles: Type.Array(Role, {
      default: ['broadcaster', 'moderator'],
      description: 'Authors with any of these roles are never moderated or rate-limited.',
    }),
    firstTimeGreeting: Type.Optional(
      Type.Object(
        {
          enabled: Type.Boolean({ default: true, description: 'false turns the greeting off and keeps its settings.' }),
          text: Type.String({ minLength: 1, maxLength: 500, default: 'Welcome {user}!', description: 'Placeholders as in chat.reply.' }),
          platforms: Type.Optional(Platforms),
        },
        { additionalProperties: false, description: "Greets a person's first message ever seen for this creator (remembered in the state store, across restarts and linked accounts)." },
      ),
    ),
    autoReplies: Type.Array(AutoReplySchema, {
      default: [],
      maxItems: 500,
      description: 'Automatic replies to a command, a keyword or a regex; they apply to exempt roles too.',
    }),
    bannedPhrases: Type.Array(BannedPhraseSchema, {
      default: [],
      maxItems: 5000,
      description:
        'Phrases that get a message deleted, its author timed out or warned. The first rule written that matches acts, and the message goes no further (no greeting, no auto-reply).',
    }),
    userRateLimit: Type.Optional(
      Type.Object(
        {
          messages: Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many messages...' }),
          perSec: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: '...in any window of this many seconds, per person.' }),
          action: ModerationAction,
          timeoutSec: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 1_209_600, default: 60, description: 'For "timeout": how long the author is timed out, in seconds.' }),
          ),
          warnText: Type.Optional(
            Type.String({ minLength: 1, maxLength: 500, description: 'The warning (and the fallback reply); default "{user}, please mind the chat rules."' }),
          ),
          platforms: Type.Optional(Platforms),
        },
        {
          additionalProperties: false,
          description:
            'A per-person message limit: more than `messages` messages in any `perSec`-second window. `delete` removes every message over the limit; `warn` and `timeout` act once per window.',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: "How the `chat-rules` plugin treats this creator's chat: a first-time greeting, auto-replies, banned phrases and a per-person rate limit.",
  },
);

export type ChatBehaviour = Static<typeof ChatBehaviourSchema>;
export type AutoReply = Static<typeof AutoReplySchema>;
export type BannedPhrase = Static<typeof BannedPhraseSchema>;

const Kind = Type.String({ minLength: 1, description: 'bits, superchat, supersticker, rant, tip, ... (a message\'s monetary.kind).' });

export const MonetizationRuleSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "Names the rule in its actions' ids. Absent: `monetization:<n>`, from its position." })),
    kinds: Type.Array(Kind, { minItems: 1, description: 'The kinds of paid message this rule applies to.' }),
    min: Type.Number({ minimum: 0, description: 'Smallest amount, in the configured currency (5 = 5 USD).' }),
    max: Type.Optional(Type.Number({ minimum: 0, description: 'Largest amount (inclusive); omitted: no upper bound.' })),
    platforms: Type.Optional(Platforms),
    actions: Type.Array(ActionDescriptorSchema, { minItems: 1, description: 'Placeholders as in chat.reply, plus {amount}, {currency}, {kind}, {paid}.' }),
  },
  { additionalProperties: false, description: 'A rule: paid messages of these kinds between `min` and `max` run these actions.' },
);

export const MonetizationSchema = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD', description: 'ISO 4217 code every amount is converted to.' }),
    rates: Type.Record(Type.String({ pattern: '^[A-Z]{3}$' }), Type.Number({ exclusiveMinimum: 0, description: 'Units of the configured currency per unit of this one.' }), {
      default: {},
      description: 'Units of the configured currency per unit of another: { "EUR": 1.08 }.',
    }),
    bitsPerUnit: Type.Number({ exclusiveMinimum: 0, default: 100, description: 'Twitch bits worth one unit of the configured currency.' }),
    match: Type.Union([Type.Literal('highest'), Type.Literal('all')], {
      default: 'highest',
      description: '"highest": only the matching rule with the highest min runs (tiers); "all": every matching rule runs, in order.',
    }),
    rules: Type.Array(MonetizationRuleSchema, { default: [], description: 'The rules, matched by kind and amount as `match` says.' }),
  },
  {
    additionalProperties: false,
    description:
      "Maps paid messages (bits, Super Chats, rants...) to actions by amount. A creator's section replaces the top-level one whole.",
  },
);

export type Monetization = Static<typeof MonetizationSchema>;
export type MonetizationRule = Static<typeof MonetizationRuleSchema>;
