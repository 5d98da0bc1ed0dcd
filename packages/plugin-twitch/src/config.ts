import { Type, type Static } from '@streamsuites/kernel';
import { streamlinkConfigSchema } from '@streamsuites/streamlink';

/** Plugin-wide settings (`plugins.twitch.config`). */
export const configSchema = Type.Object(
  {
    chatUrl: Type.String({
      pattern: '^wss?://',
      default: 'wss://irc-ws.chat.twitch.tv:443',
      description: 'Twitch chat endpoint (IRC over WebSocket). Change it only to point at a local fake server in tests.',
    }),
    helixUrl: Type.String({
      pattern: '^https?://',
      default: 'https://api.twitch.tv/helix',
      description: 'Base URL of the Twitch Helix API (go-live polling, sending through the API, moderation, EventSub subscriptions). Change it only to point at a local fake.',
    }),
    oauthUrl: Type.String({
      pattern: '^https?://',
      default: 'https://id.twitch.tv/oauth2',
      description: 'Twitch OAuth endpoint for app tokens, token refresh and token validation. Change it only to point at a local fake.',
    }),
    redundancy: Type.Integer({
      minimum: 1,
      maximum: 3,
      default: 2,
      description:
        'Read connections kept per creator, each on its own socket: with 2 a message is read when either has it, and one connection dropping loses nothing. 1 saves a connection, but any reconnect is then a `chat.gap`.',
    }),
    loginsPer10s: Type.Integer({
      minimum: 1,
      maximum: 2000,
      default: 20,
      description: 'Logins and JOINs allowed per bot account per 10 seconds (Twitch allows 20, or 2,000 for a verified bot). Connections beyond it wait for the window.',
    }),
    dedupeWindow: Type.Integer({
      minimum: 100,
      maximum: 1_000_000,
      default: 10_000,
      description: 'How many message ids are remembered, across reconnects and redundant connections, to drop duplicate messages.',
    }),
    pingTimeoutMs: Type.Integer({
      minimum: 1000,
      maximum: 600_000,
      default: 10_000,
      description: 'Milliseconds to wait for a PONG after our PING; no answer in time means the socket is dead and is reconnected.',
    }),
    pingIntervalMs: Type.Integer({
      minimum: 5000,
      maximum: 600_000,
      default: 60_000,
      description: 'Milliseconds of silence on a chat socket before we PING the server ourselves.',
    }),
    reconnect: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 100, default: 1000, description: 'Delay before the first reconnect attempt, in milliseconds.' }),
        maxMs: Type.Integer({ minimum: 1000, default: 60_000, description: 'Longest delay between reconnect attempts, in milliseconds.' }),
        factor: Type.Number({ minimum: 1, maximum: 10, default: 2, description: 'Each further attempt waits this many times longer than the one before, up to `maxMs`.' }),
        jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.3, description: 'Fraction of the delay randomised (0 = none, 0.5 = ±50 %), so connections dropped together do not retry in step.' }),
      },
      { additionalProperties: false, default: {}, description: 'Backoff between reconnect attempts of a chat or EventSub socket.' },
    ),
    eventsubUrl: Type.String({
      pattern: '^wss?://',
      default: 'wss://eventsub.wss.twitch.tv/ws',
      description: 'EventSub WebSocket endpoint. Change it only to point at a local fake in tests.',
    }),
    eventsubKeepaliveSec: Type.Integer({
      minimum: 1,
      maximum: 600,
      default: 10,
      description:
        'Keepalive interval asked of Twitch, in seconds: silence longer than this plus a short grace means a dead EventSub socket. Twitch accepts 10–600; less only works against a local fake.',
    }),
    sendQueueLimit: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      default: 100,
      description: 'Replies that may wait for the rate limit per creator; beyond this the oldest are dropped.',
    }),
    /** How the clips plugin gets a creator's live stream: streamlink on the channel page (see README "Stream source"). */
    streamlink: streamlinkConfigSchema,
  },
  { additionalProperties: false, description: 'Plugin-wide Twitch settings: endpoints, connections per creator, rate limits and reconnects.' },
);

/** Per creator (`creators.<id>.config.twitch`). */
export const creatorConfigSchema = Type.Object(
  {
    channel: Type.String({ pattern: '^[a-zA-Z0-9_]{2,25}$', description: 'The channel to join: its login, without `#`.' }),
    botLogin: Type.String({ pattern: '^[a-zA-Z0-9_]{2,25}$', description: 'The login of the bot account that reads and writes chat.' }),
    token: Type.Optional(
      Type.String({
        pattern: '^(oauth:)?[a-zA-Z0-9]{20,64}$',
        description:
          "The bot's OAuth user token, with or without `oauth:`, usually `${env:TWITCH_OAUTH_TOKEN_<CREATOR>}`. Absent: the token `streamsuites auth twitch` stored for `botLogin` is used.",
      }),
    ),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        description: "The Twitch app's client id: needed for token refresh, EventSub, channel events and go-live polling.",
      }),
    ),
    clientSecret: Type.Optional(
      Type.String({ minLength: 1, description: "The Twitch app's client secret: with `clientId`, enables token refresh, app tokens (`sendAs: app`) and go-live polling." }),
    ),
    refreshToken: Type.Optional(
      Type.String({ minLength: 1, description: 'Refresh token for the bot token: with `clientId` and `clientSecret`, a rejected token is refreshed instead of failing.' }),
    ),
    redundancy: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3, description: "Read connections for this creator. Absent: the plugin's `redundancy`." }),
    ),
    sendAs: Type.Union([Type.Literal('bot'), Type.Literal('app')], {
      default: 'bot',
      description:
        "Whose token sends through the Send Chat Message API (when IRC does not read the chat): `bot` (the bot's user token, `user:write:chat`) or `app` (an app token from `clientId` + `clientSecret`; the bot granted the app `user:bot`, the channel `channel:bot`, and Twitch shows the app's badge).",
    }),
    transport: Type.Union([Type.Literal('auto'), Type.Literal('irc'), Type.Literal('eventsub')], {
      default: 'auto',
      description:
        'How chat is read: `irc`, `eventsub` (needs `clientId` and a token with `user:read:chat`) or `auto` (EventSub when the token allows it and `clientId` is set, else IRC; with redundancy 2 or more one IRC connection stays beside EventSub).',
    }),
    events: Type.Array(Type.String({ pattern: '^(channel|stream)\\.[a-z_.]+$' }), {
      default: [],
      uniqueItems: true,
      maxItems: 50,
      description:
        'EventSub channel event types to subscribe to, e.g. `channel.follow`, `channel.raid`. Needs `clientId` and each type\'s scope (see the README, "Channel events").',
    }),
    goLivePollSec: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 0,
      description: 'Poll Helix for go-live every this many seconds; 0 turns polling off. Needs `clientId` and `clientSecret`.',
    }),
  },
  { additionalProperties: false, description: "One creator's Twitch channel, bot account and credentials." },
);

export type TwitchConfig = Static<typeof configSchema>;
export type TwitchCreatorConfig = Static<typeof creatorConfigSchema>;
