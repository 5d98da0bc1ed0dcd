/**
 * What the fake knows about each EventSub subscription type: the condition
 * keys it requires, the scopes the token needs (any one of `anyOf`), and
 * which condition key must name the token's own user (Twitch: "the user in
 * the token must be the broadcaster / moderator / user in the condition").
 *
 * Scopes as listed per type in Twitch's "EventSub subscription types" page
 * (and mirrored by twitch-rs/twitch_api `const SCOPE` of each type).
 */
export interface EventSubTypeRule {
  /** Condition keys that must be present (non-empty strings). */
  required: readonly string[];
  /** Condition keys that may be present. */
  optional?: readonly string[];
  /** Exactly one of these keys must be present (channel.raid). */
  oneOf?: readonly string[];
  /** The token needs at least one of these; empty = no scope needed. */
  anyOf: readonly string[];
  /** Condition key that must equal the token's user id; null = any user may subscribe. */
  tokenUser: string | null;
}

const CHAT: EventSubTypeRule = { required: ['broadcaster_user_id', 'user_id'], anyOf: ['user:read:chat'], tokenUser: 'user_id' };
const broadcaster = (...anyOf: string[]): EventSubTypeRule => ({ required: ['broadcaster_user_id'], anyOf, tokenUser: 'broadcaster_user_id' });
const moderated = (...anyOf: string[]): EventSubTypeRule => ({ required: ['broadcaster_user_id', 'moderator_user_id'], anyOf, tokenUser: 'moderator_user_id' });

/** `type` → `version` → rule. */
export const EVENTSUB_TYPE_RULES: Readonly<Record<string, Readonly<Record<string, EventSubTypeRule>>>> = {
  'channel.chat.message': { '1': CHAT },
  'channel.chat.notification': { '1': CHAT },
  'channel.chat.message_delete': { '1': CHAT },
  'channel.chat.clear': { '1': CHAT },
  'channel.chat.clear_user_messages': { '1': CHAT },
  'channel.chat_settings.update': { '1': CHAT },
  'channel.follow': { '2': moderated('moderator:read:followers') },
  'channel.subscribe': { '1': broadcaster('channel:read:subscriptions') },
  'channel.subscription.gift': { '1': broadcaster('channel:read:subscriptions') },
  'channel.subscription.message': { '1': broadcaster('channel:read:subscriptions') },
  'channel.cheer': { '1': broadcaster('bits:read') },
  'channel.raid': { '1': { required: [], oneOf: ['from_broadcaster_user_id', 'to_broadcaster_user_id'], anyOf: [], tokenUser: null } },
  'channel.channel_points_custom_reward_redemption.add': {
    '1': { ...broadcaster('channel:read:redemptions', 'channel:manage:redemptions'), optional: ['reward_id'] },
  },
  'channel.hype_train.begin': { '1': broadcaster('channel:read:hype_train'), '2': broadcaster('channel:read:hype_train') },
  'channel.hype_train.progress': { '1': broadcaster('channel:read:hype_train'), '2': broadcaster('channel:read:hype_train') },
  'channel.hype_train.end': { '1': broadcaster('channel:read:hype_train'), '2': broadcaster('channel:read:hype_train') },
  'channel.poll.begin': { '1': broadcaster('channel:read:polls', 'channel:manage:polls') },
  'channel.poll.progress': { '1': broadcaster('channel:read:polls', 'channel:manage:polls') },
  'channel.poll.end': { '1': broadcaster('channel:read:polls', 'channel:manage:polls') },
  'channel.prediction.begin': { '1': broadcaster('channel:read:predictions', 'channel:manage:predictions') },
  'channel.prediction.progress': { '1': broadcaster('channel:read:predictions', 'channel:manage:predictions') },
  'channel.prediction.lock': { '1': broadcaster('channel:read:predictions', 'channel:manage:predictions') },
  'channel.prediction.end': { '1': broadcaster('channel:read:predictions', 'channel:manage:predictions') },
  'channel.ad_break.begin': { '1': broadcaster('channel:read:ads', 'channel:manage:ads') },
  'channel.shoutout.create': { '1': moderated('moderator:read:shoutouts', 'moderator:manage:shoutouts') },
  'channel.shoutout.receive': { '1': moderated('moderator:read:shoutouts', 'moderator:manage:shoutouts') },
  'stream.online': { '1': { required: ['broadcaster_user_id'], anyOf: [], tokenUser: null } },
  'stream.offline': { '1': { required: ['broadcaster_user_id'], anyOf: [], tokenUser: null } },
};

/** Scopes the Helix / other endpoints of the fake need. */
export const HELIX_REQUIRED_SCOPES = {
  sendChatMessage: 'user:write:chat',
  updateRedemptionStatus: 'channel:manage:redemptions',
} as const;

/** Why a condition is invalid, or null when it fits the rule. */
export function conditionProblem(rule: EventSubTypeRule, condition: Record<string, unknown>): string | null {
  const allowed = new Set([...rule.required, ...(rule.optional ?? []), ...(rule.oneOf ?? [])]);
  for (const key of Object.keys(condition)) if (!allowed.has(key)) return `unknown condition field: ${key}`;
  for (const key of rule.required) {
    const v = condition[key];
    if (typeof v !== 'string' || v === '') return `missing or invalid condition field: ${key}`;
  }
  for (const key of rule.optional ?? []) if (key in condition && typeof condition[key] !== 'string') return `invalid condition field: ${key}`;
  if (rule.oneOf) {
    const present = rule.oneOf.filter((k) => typeof condition[k] === 'string' && condition[k] !== '');
    if (present.length !== 1) return `exactly one of ${rule.oneOf.join(', ')} is required`;
  }
  return null;
}

/** Condition keys naming the reader, not the event (never matched against the event). */
const READER_KEYS = new Set(['user_id', 'moderator_user_id']);

/** Whether an event belongs to a subscription's condition. */
export function conditionMatches(condition: Record<string, string>, event: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(condition)) {
    if (READER_KEYS.has(key) || value === '') continue;
    if (key === 'reward_id') {
      const reward = event.reward as { id?: unknown } | undefined;
      if (reward?.id !== value) return false;
      continue;
    }
    if (event[key] !== value) return false;
  }
  return true;
}
