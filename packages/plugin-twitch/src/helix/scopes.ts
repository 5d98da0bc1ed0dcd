import { SS_ERR_TWITCH_AUTH, SS_ERR_TWITCH_HELIX_FAILED } from '../errors.js';
import { messageOf } from './request.js';

/**
 * One scope requirement: a scope, or a list of alternatives any one of which
 * is enough (Twitch often accepts the `manage` scope in place of `read`).
 */
export type ScopeRequirement = string | readonly string[];

export interface FeatureScopes {
  /** What the feature does, for people. */
  description: string;
  /** Scopes the user token (or, for app tokens, the bot's authorization) must carry. */
  user: readonly ScopeRequirement[];
  /** The EventSub subscription types this feature subscribes to (none for API calls). */
  eventTypes?: readonly string[];
  /**
   * Added when the feature runs on an app access token (Twitch's chatbot
   * model): `user:bot` from the bot account; the broadcaster grants
   * `channel:bot` on their own authorization (or the bot is a moderator).
   */
  app?: readonly ScopeRequirement[];
}

/**
 * Features → the scopes Twitch documents for them ("EventSub subscription
 * types", "Send Chat Message", "Update Redemption Status"). EventSub types
 * not listed (stream.online/offline, channel.update, channel.raid) need no
 * scope.
 */
export const TWITCH_FEATURE_SCOPES = {
  'chat.read': {
    description: 'read chat over EventSub (channel.chat.message)',
    user: ['user:read:chat'],
    app: ['user:bot'],
    eventTypes: ['channel.chat.message'],
  },
  'chat.send': {
    description: 'send chat messages through the API (Send Chat Message)',
    user: ['user:write:chat'],
    app: ['user:bot'],
  },
  'chat.notifications': {
    description: 'subs, resubs, gifts, raids and announcements in chat (channel.chat.notification)',
    user: ['user:read:chat'],
    app: ['user:bot'],
    eventTypes: ['channel.chat.notification'],
  },
  'chat.moderation': {
    description: 'chat cleared, user messages cleared, message deleted, chat settings (channel.chat.clear, .clear_user_messages, .message_delete, channel.chat_settings.update)',
    user: ['user:read:chat'],
    app: ['user:bot'],
    eventTypes: ['channel.chat.clear', 'channel.chat.clear_user_messages', 'channel.chat.message_delete', 'channel.chat_settings.update'],
  },
  'events.follow': { description: 'new followers (channel.follow v2)', user: ['moderator:read:followers'], eventTypes: ['channel.follow'] },
  'events.subscribe': {
    description: 'subscriptions and gifts (channel.subscribe, .subscription.gift, .subscription.message)',
    user: ['channel:read:subscriptions'],
    eventTypes: ['channel.subscribe', 'channel.subscription.gift', 'channel.subscription.message', 'channel.subscription.end'],
  },
  'events.cheer': { description: 'bits cheered (channel.cheer)', user: ['bits:read'], eventTypes: ['channel.cheer'] },
  'events.ban': { description: 'bans and unbans (channel.ban, channel.unban)', user: ['channel:moderate'], eventTypes: ['channel.ban', 'channel.unban'] },
  'events.redemption': {
    description: 'channel points redemptions (channel.channel_points_custom_reward_redemption.add / .update)',
    user: [['channel:read:redemptions', 'channel:manage:redemptions']],
    eventTypes: ['channel.channel_points_custom_reward_redemption.add', 'channel.channel_points_custom_reward_redemption.update'],
  },
  'events.poll': { description: 'polls (channel.poll.begin / .progress / .end)', user: [['channel:read:polls', 'channel:manage:polls']], eventTypes: ['channel.poll.begin', 'channel.poll.progress', 'channel.poll.end'] },
  'events.prediction': {
    description: 'predictions (channel.prediction.begin / .progress / .lock / .end)',
    user: [['channel:read:predictions', 'channel:manage:predictions']],
    eventTypes: ['channel.prediction.begin', 'channel.prediction.progress', 'channel.prediction.lock', 'channel.prediction.end'],
  },
  'events.hype-train': { description: 'hype trains (channel.hype_train.begin / .progress / .end)', user: ['channel:read:hype_train'], eventTypes: ['channel.hype_train.begin', 'channel.hype_train.progress', 'channel.hype_train.end'] },
  'events.ad-break': { description: 'ad breaks (channel.ad_break.begin)', user: ['channel:read:ads'], eventTypes: ['channel.ad_break.begin'] },
  'events.shoutout': {
    description: 'shoutouts (channel.shoutout.create / .receive)',
    user: [['moderator:read:shoutouts', 'moderator:manage:shoutouts']],
    eventTypes: ['channel.shoutout.create', 'channel.shoutout.receive'],
  },
  'events.stream': { description: 'go-live and offline (stream.online / stream.offline)', user: [], eventTypes: ['stream.online', 'stream.offline'] },
  'events.raid': { description: 'raids (channel.raid)', user: [], eventTypes: ['channel.raid'] },
  'events.channel-update': { description: 'title and category changes (channel.update)', user: [], eventTypes: ['channel.update'] },
  'moderation.delete': {
    description: 'delete chat messages (Delete Chat Messages: chatBehaviour banned phrases and rate limits with "delete")',
    user: ['moderator:manage:chat_messages'],
  },
  'moderation.timeout': {
    description: 'time out chatters (Ban User with a duration: chatBehaviour rules with "timeout")',
    user: ['moderator:manage:banned_users'],
  },
  'redemptions.update': {
    description: 'fulfil or cancel redemptions (Update Redemption Status)',
    user: ['channel:manage:redemptions'],
  },
} as const satisfies Record<string, FeatureScopes>;

export type TwitchFeature = keyof typeof TWITCH_FEATURE_SCOPES;

/** Every feature name, in table order. */
export const TWITCH_FEATURES = Object.keys(TWITCH_FEATURE_SCOPES) as TwitchFeature[];

/** What a bot needs for chat: read and send. */
export const TWITCH_DEFAULT_FEATURES: readonly TwitchFeature[] = ['chat.read', 'chat.send'];

export interface MissingScope {
  feature: TwitchFeature;
  /** The scope to ask for (the first alternative when several would do). */
  scope: string;
  /** Present when any of these would do. */
  anyOf?: string[];
}

function requirements(feature: TwitchFeature, tokenKind: 'user' | 'app'): readonly ScopeRequirement[] {
  const entry: FeatureScopes = TWITCH_FEATURE_SCOPES[feature];
  return tokenKind === 'app' ? [...entry.user, ...(entry.app ?? [])] : entry.user;
}

/** The scopes a token must carry for `features` (first alternative of each choice), deduplicated, in table order. */
export function scopesFor(features: readonly TwitchFeature[], tokenKind: 'user' | 'app' = 'user'): string[] {
  const scopes = new Set<string>();
  for (const feature of features) {
    for (const requirement of requirements(feature, tokenKind)) scopes.add(typeof requirement === 'string' ? requirement : requirement[0]!);
  }
  return [...scopes];
}

/**
 * The scopes `granted` lacks for `features`: one entry per feature and
 * missing requirement, in the order given. An empty array means every
 * feature can run.
 */
export function missingScopes(
  granted: Iterable<string>,
  features: readonly TwitchFeature[],
  tokenKind: 'user' | 'app' = 'user',
): MissingScope[] {
  const have = new Set(granted);
  const missing: MissingScope[] = [];
  for (const feature of features) {
    if (!(feature in TWITCH_FEATURE_SCOPES)) throw new SS_ERR_TWITCH_HELIX_FAILED(`unknown Twitch feature "${feature}"`, { hint: `Known features: ${TWITCH_FEATURES.join(', ')}.` });
    for (const requirement of requirements(feature, tokenKind)) {
      if (typeof requirement === 'string') {
        if (!have.has(requirement)) missing.push({ feature, scope: requirement });
      } else if (!requirement.some((scope) => have.has(scope))) {
        missing.push({ feature, scope: requirement[0]!, anyOf: [...requirement] });
      }
    }
  }
  return missing;
}

/** The feature an EventSub subscription type belongs to (undefined for a type the table does not know). */
export function featureOfEventType(type: string): TwitchFeature | undefined {
  return TWITCH_FEATURES.find((feature) => (TWITCH_FEATURE_SCOPES[feature] as FeatureScopes).eventTypes?.includes(type));
}

/**
 * The features a bot configured this way needs: chat read and send, plus
 * the feature of each EventSub type in `eventTypes` (a creator's
 * `config.twitch.events`). Types the table does not know are returned in
 * `unknown` (they are asked for nothing).
 */
export function featuresFor(eventTypes: Iterable<string>): { features: TwitchFeature[]; unknown: string[] } {
  const features = new Set<TwitchFeature>(TWITCH_DEFAULT_FEATURES);
  const unknown: string[] = [];
  for (const type of eventTypes) {
    const feature = featureOfEventType(type);
    if (feature === undefined) unknown.push(type);
    else features.add(feature);
  }
  return { features: [...features], unknown };
}

/** Whether `name` is a feature of the table. */
export function isTwitchFeature(name: string): name is TwitchFeature {
  return Object.hasOwn(TWITCH_FEATURE_SCOPES, name);
}

export interface ValidatedToken {
  /** Absent for app access tokens. */
  login?: string;
  userId?: string;
  clientId: string;
  scopes: string[];
  /** Seconds left (0 for tokens that do not expire). */
  expiresIn: number;
}

/**
 * Twitch "Validating requests": `GET {oauthUrl}/validate` with
 * `Authorization: OAuth <token>`. Twitch asks apps to validate at start and
 * hourly. A 401 is SS_ERR_TWITCH_AUTH (the token is invalid or expired).
 */
export async function validateToken(
  oauthUrl: string,
  token: string,
  options: { subject?: string; fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<ValidatedToken> {
  const bare = token.replace(/^oauth:/, '');
  const timeout = AbortSignal.timeout(10_000);
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(`${oauthUrl.replace(/\/$/, '')}/validate`, {
      headers: { Authorization: `OAuth ${bare}` },
      signal: options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]),
    });
  } catch (error) {
    throw new SS_ERR_TWITCH_HELIX_FAILED(`GET /oauth2/validate failed: ${(error as Error).message}`, { cause: error, details: { retryable: true } });
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (response.status === 401) {
    throw new SS_ERR_TWITCH_AUTH(options.subject ?? 'unknown', `GET /oauth2/validate answered 401 (${messageOf(body) ?? 'invalid access token'})`, {
      details: { status: 401 },
      hint: 'The token is invalid, expired or revoked: authorize again (streamsuites auth twitch).',
    });
  }
  if (response.status !== 200 || body === undefined || typeof body.client_id !== 'string') {
    throw new SS_ERR_TWITCH_HELIX_FAILED(`GET /oauth2/validate answered ${response.status}`, {
      details: { status: response.status, retryable: response.status >= 500 },
    });
  }
  const scopes = Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : [];
  return {
    ...(typeof body.login === 'string' ? { login: body.login } : {}),
    ...(typeof body.user_id === 'string' ? { userId: body.user_id } : {}),
    clientId: body.client_id,
    scopes,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 0,
  };
}
