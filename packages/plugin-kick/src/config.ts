import { Type, type Static } from '@streamsuites/kernel';
import { streamlinkConfigSchema } from '@streamsuites/streamlink';

/** The webhook events the plugin subscribes to and reads (Kick's names, all version 1). */
export const KICK_EVENTS = Object.freeze([
  'chat.message.sent',
  'channel.followed',
  'channel.subscription.new',
  'channel.subscription.renewal',
  'channel.subscription.gifts',
  'livestream.status.updated',
] as const);
export type KickEventName = (typeof KICK_EVENTS)[number];

/** Kick's web client's Pusher app (cluster us2, protocol 7), as its chat page connects. */
export const KICK_PUSHER_URL = 'wss://ws-us2.pusher.com/app/32cbd69e4b950bf97679?protocol=7&client=js&version=8.4.0&flash=false';

/** Plugin-wide settings (`plugins.kick.config`). */
export const configSchema = Type.Object(
  {
    clientId: Type.String({ minLength: 1, maxLength: 200, description: "The Kick app's client id (kick.com → Settings → Developer)." }),
    clientSecret: Type.String({
      minLength: 1,
      maxLength: 500,
      description: "The Kick app's client secret; a secret, so put it in through `${env:KICK_CLIENT_SECRET}`.",
    }),
    apiOrigin: Type.String({
      minLength: 1,
      default: 'https://api.kick.com',
      description: "Kick's public API. Change it only to point at a local fake (tests, the demo).",
    }),
    idOrigin: Type.String({ minLength: 1, default: 'https://id.kick.com', description: "Kick's OAuth server, for app tokens and token refresh." }),
    subscribe: Type.Boolean({
      default: true,
      description: "Subscribe each creator's channel to the six webhook events at start (POST /public/v1/events/subscriptions, with the app token).",
    }),
    webhook: Type.Object(
      {
        host: Type.String({
          minLength: 1,
          default: '127.0.0.1',
          description: 'Interface the webhook endpoint listens on; keep loopback and put a TLS reverse proxy in front (README "Webhook endpoint").',
        }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8788, description: 'Port of the webhook endpoint; 0 takes any free port (for tests).' }),
        path: Type.String({
          minLength: 1,
          pattern: '^/',
          default: '/kick/webhook',
          description: 'Path Kick POSTs to: the path of the Webhook URL set in the Kick app.',
        }),
        publicKey: Type.Optional(
          Type.String({
            minLength: 100,
            description: "Kick's public key (PEM) that signs deliveries; pin it to avoid the fetch. Absent: fetched once from GET /public/v1/public-key.",
          }),
        ),
        maxAgeSec: Type.Integer({
          minimum: 10,
          maximum: 86_400,
          default: 600,
          description: 'Deliveries whose Kick-Event-Message-Timestamp is further than this many seconds from our clock are refused (400).',
        }),
        dedupeWindowSec: Type.Integer({
          minimum: 60,
          maximum: 7 * 86_400,
          default: 86_400,
          description: 'Seconds a Kick-Event-Message-Id is remembered (persisted) to ignore redeliveries; at least `maxAgeSec`.',
        }),
        maxBodyBytes: Type.Integer({
          minimum: 1024,
          maximum: 10_000_000,
          default: 262_144,
          description: 'Largest delivery body accepted, in bytes; larger ones get 413.',
        }),
      },
      { additionalProperties: false, default: {}, description: 'The HTTP endpoint Kick delivers webhook events (chat, follows, subscriptions, live status) to.' },
    ),
    unofficialChat: Type.Object(
      {
        url: Type.String({ minLength: 1, default: KICK_PUSHER_URL, description: "The unofficial chat socket's URL: Kick's web client's Pusher app." }),
        backoff: Type.Object(
          {
            initialMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000, description: 'Delay before the first reconnect, in milliseconds.' }),
            maxMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 60_000, description: 'Longest delay between reconnects, in milliseconds.' }),
          },
          { additionalProperties: false, default: {}, description: "The unofficial socket's reconnect backoff (doubling, randomised ±30 %)." },
        ),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The UNOFFICIAL chat socket (README "Unofficial chat socket"), used only by creators that set `unofficialChat`.',
      },
    ),
    chatPerMinute: Type.Integer({
      minimum: 1,
      maximum: 600,
      default: 20,
      description: 'Chat messages sent per creator per minute (declared to the rate-limit governor as `kick:chat:<creator>`).',
    }),
    /** How the clips plugin gets a creator's live stream: streamlink on https://kick.com/<channel>. */
    streamlink: streamlinkConfigSchema,
  },
  { additionalProperties: false, description: 'Plugin-wide Kick settings: the Kick app, the webhook endpoint, the unofficial chat socket and the send rate.' },
);

/** Per creator (`creators.<id>.config.kick`). */
export const creatorConfigSchema = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'The channel slug (`kick.com/<slug>`).' }),
    broadcasterUserId: Type.Optional(
      Type.Integer({ minimum: 1, description: "The channel's broadcaster user id. Absent: looked up from the slug (GET /public/v1/channels)." }),
    ),
    accessToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4000,
        description:
          'A user access token (scope `chat:write`) for sending chat: the creator\'s own token for `sendAs: "bot"`, the bot account\'s for `"user"`. A secret (`${env:...}`); without it (and `refreshToken`) the plugin only reads.',
      }),
    ),
    refreshToken: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4000, description: 'The refresh token that came with `accessToken`, used once when Kick answers 401. A secret.' }),
    ),
    sendAs: Type.Union([Type.Literal('bot'), Type.Literal('user')], {
      default: 'bot',
      description: "`bot`: Kick posts as the app's bot account in the channel of the token's user; `user`: posts as the token's user in this channel.",
    }),
    unofficialChat: Type.Optional(
      Type.Object(
        {
          chatroomId: Type.Integer({
            minimum: 1,
            description: "The channel's chatroom id (not the broadcaster id): `chatroom.id` in https://kick.com/api/v2/channels/<slug>.",
          }),
        },
        {
          additionalProperties: false,
          description: "Opt-in, UNOFFICIAL, read-only: also read chat from the socket Kick's web client uses, for hosts Kick cannot reach with webhooks.",
        },
      ),
    ),
    notices: Type.Object(
      {
        followers: Type.Boolean({ default: true, description: 'Emit `chat.notice` for follows.' }),
        subscribers: Type.Boolean({ default: true, description: 'Emit `chat.notice` for subscriptions (new, renewed, gifted).' }),
      },
      { additionalProperties: false, default: {}, description: 'Which channel events become `chat.notice` events.' },
    ),
  },
  { additionalProperties: false, description: "One creator's Kick channel and the tokens to send with." },
);

export type KickConfig = Static<typeof configSchema>;
export type KickCreatorConfig = Static<typeof creatorConfigSchema>;
