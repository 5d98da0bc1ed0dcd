import { Type, type Static } from '@streamsuites/kernel';
import { streamlinkConfigSchema } from '@streamsuites/streamlink';

/** Plugin-wide settings (`plugins.twitch.config`). */
export const configSchema = Type.Object(
  {
    /** IRC-over-WebSocket endpoint; tests point it at the fake server. */
    chatUrl: Type.String({ pattern: '^wss?://', default: 'wss://irc-ws.chat.twitch.tv:443' }),
    /** Helix API base for go-live polling. */
    helixUrl: Type.String({ pattern: '^https?://', default: 'https://api.twitch.tv/helix' }),
    /** OAuth endpoint for app tokens and refresh. */
    oauthUrl: Type.String({ pattern: '^https?://', default: 'https://id.twitch.tv/oauth2' }),
    /**
     * Read connections kept per creator, each on its own socket: with 2 a
     * message is read when either has it, and one connection dropping loses
     * nothing. 1 saves a connection; any reconnect is then a `chat.gap`.
     */
    redundancy: Type.Integer({ minimum: 1, maximum: 3, default: 2 }),
    /**
     * Logins (and JOINs) per 10 s per bot account: Twitch allows 20, 2,000
     * for a verified bot. Connections beyond it wait for the window.
     */
    loginsPer10s: Type.Integer({ minimum: 1, maximum: 2000, default: 20 }),
    /** Message ids remembered across reconnects to drop duplicates. */
    dedupeWindow: Type.Integer({ minimum: 100, maximum: 1_000_000, default: 10_000 }),
    /** No PONG within this long after our PING means a dead socket. */
    pingTimeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 10_000 }),
    /** Idle time before we PING the server ourselves. */
    pingIntervalMs: Type.Integer({ minimum: 5000, maximum: 600_000, default: 60_000 }),
    reconnect: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 100, default: 1000 }),
        maxMs: Type.Integer({ minimum: 1000, default: 60_000 }),
        factor: Type.Number({ minimum: 1, maximum: 10, default: 2 }),
        /** Fraction of the delay randomised (0 = none, 0.5 = ±50 %). */
        jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** EventSub WebSocket endpoint; tests point it at the local fake. */
    eventsubUrl: Type.String({ pattern: '^wss?://', default: 'wss://eventsub.wss.twitch.tv/ws' }),
    /** Asked of Twitch: silence longer than this (plus a grace) means a dead EventSub socket (Twitch: 10-600 s; less only against a local fake). */
    eventsubKeepaliveSec: Type.Integer({ minimum: 1, maximum: 600, default: 10 }),
    /** Replies waiting for the rate limit; beyond this the oldest are dropped. */
    sendQueueLimit: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
    /** How the clips plugin gets a creator's live stream: streamlink on the channel page (see README "Stream source"). */
    streamlink: streamlinkConfigSchema,
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.twitch`). */
export const creatorConfigSchema = Type.Object(
  {
    /** The channel to join (login, without #). */
    channel: Type.String({ pattern: '^[a-zA-Z0-9_]{2,25}$' }),
    /** The bot account's login. */
    botLogin: Type.String({ pattern: '^[a-zA-Z0-9_]{2,25}$' }),
    /**
     * The bot's OAuth user token, usually `${env:TWITCH_OAUTH_TOKEN_<CREATOR>}`; with or without `oauth:`.
     * Absent: the token `streamsuites auth twitch` stored for `botLogin` is used.
     */
    token: Type.Optional(Type.String({ pattern: '^(oauth:)?[a-zA-Z0-9]{20,64}$' })),
    /** For token refresh and go-live polling (app token). */
    clientId: Type.Optional(Type.String({ minLength: 1 })),
    clientSecret: Type.Optional(Type.String({ minLength: 1 })),
    refreshToken: Type.Optional(Type.String({ minLength: 1 })),
    /** Read connections for this creator; default: the plugin's `redundancy`. */
    redundancy: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    /**
     * Whose token sends through the Send Chat Message API (when IRC does not
     * read the chat): `bot` (the bot's user token, `user:write:chat`) or `app`
     * (an app token from clientId + clientSecret; the bot granted the app
     * `user:bot` and the channel `channel:bot`, and Twitch shows the app's badge).
     */
    sendAs: Type.Union([Type.Literal('bot'), Type.Literal('app')], { default: 'bot' }),
    /**
     * How chat is read: `irc`, `eventsub` (needs clientId and a token with
     * user:read:chat), or `auto` (EventSub when the token may and clientId is
     * set, else IRC; with redundancy ≥ 2 one IRC connection stays beside EventSub).
     */
    transport: Type.Union([Type.Literal('auto'), Type.Literal('irc'), Type.Literal('eventsub')], { default: 'auto' }),
    /**
     * Channel events to subscribe to over EventSub (needs clientId and each
     * type's scope; see README "Channel events"), e.g. `["channel.follow",
     * "channel.raid", "channel.channel_points_custom_reward_redemption.add"]`.
     */
    events: Type.Array(Type.String({ pattern: '^(channel|stream)\\.[a-z_.]+$' }), { default: [], uniqueItems: true, maxItems: 50 }),
    /** Poll Helix for go-live every this many seconds (0 = off; needs clientId + clientSecret). */
    goLivePollSec: Type.Integer({ minimum: 0, maximum: 3600, default: 0 }),
  },
  { additionalProperties: false },
);

export type TwitchConfig = Static<typeof configSchema>;
export type TwitchCreatorConfig = Static<typeof creatorConfigSchema>;
