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
    /** The Kick app's client id (kick.com → Settings → Developer). */
    clientId: Type.String({ minLength: 1, maxLength: 200 }),
    /** The Kick app's client secret; a secret: put it in through `${env:KICK_CLIENT_SECRET}`. */
    clientSecret: Type.String({ minLength: 1, maxLength: 500 }),
    /** Kick's API (api.kick.com); a local fake in tests and the demo. */
    apiOrigin: Type.String({ minLength: 1, default: 'https://api.kick.com' }),
    /** Kick's OAuth server (id.kick.com). */
    idOrigin: Type.String({ minLength: 1, default: 'https://id.kick.com' }),
    /** Subscribe each creator's channel to the events at start (POST /public/v1/events/subscriptions, app token). */
    subscribe: Type.Boolean({ default: true }),
    webhook: Type.Object(
      {
        /** Interface the endpoint listens on; keep loopback and put a TLS reverse proxy in front (README "Webhook endpoint"). */
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        /** Port (0: any free port, for tests). */
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8788 }),
        /** Path Kick POSTs to (the path of the Webhook URL set in the Kick app). */
        path: Type.String({ minLength: 1, pattern: '^/', default: '/kick/webhook' }),
        /** Kick's public key (PEM). Default: fetched once from GET /public/v1/public-key. */
        publicKey: Type.Optional(Type.String({ minLength: 100 })),
        /** Deliveries whose Kick-Event-Message-Timestamp is further than this from our clock are refused (400). */
        maxAgeSec: Type.Integer({ minimum: 10, maximum: 86_400, default: 600 }),
        /** How long a Kick-Event-Message-Id is remembered (persisted) to ignore redeliveries; at least maxAgeSec. */
        dedupeWindowSec: Type.Integer({ minimum: 60, maximum: 7 * 86_400, default: 86_400 }),
        /** Largest body accepted (bytes). */
        maxBodyBytes: Type.Integer({ minimum: 1024, maximum: 10_000_000, default: 262_144 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * The UNOFFICIAL chat socket (see README "Unofficial chat socket"): only
     * used by creators that set `unofficialChat`. Kick's web client's Pusher app.
     */
    unofficialChat: Type.Object(
      {
        url: Type.String({ minLength: 1, default: KICK_PUSHER_URL }),
        backoff: Type.Object(
          {
            initialMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000 }),
            maxMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 60_000 }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Chat messages sent per creator per minute (declared to the rate-limit governor as `kick:chat:<creator>`). */
    chatPerMinute: Type.Integer({ minimum: 1, maximum: 600, default: 20 }),
    /** How the clips plugin gets a creator's live stream: streamlink on https://kick.com/<channel>. */
    streamlink: streamlinkConfigSchema,
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.kick`). */
export const creatorConfigSchema = Type.Object(
  {
    /** The channel slug (kick.com/<slug>). */
    channel: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
    /** The channel's broadcaster user id; default: looked up from the slug (GET /public/v1/channels). */
    broadcasterUserId: Type.Optional(Type.Integer({ minimum: 1 })),
    /**
     * A user access token (scope chat:write) for sending chat: the creator's
     * own token for `sendAs: "bot"`, the bot account's token for `"user"`.
     * Secret: `${env:...}`. Without it the plugin only reads.
     */
    accessToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    /** The refresh token that came with accessToken: used once when Kick answers 401. Secret. */
    refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    /**
     * `bot` (default): Kick posts as the app's bot account in the channel of
     * the token's user; `user`: posts as the token's user in this channel.
     */
    sendAs: Type.Union([Type.Literal('bot'), Type.Literal('user')], { default: 'bot' }),
    /**
     * Opt-in, UNOFFICIAL, read-only: also read chat from the socket Kick's web
     * client uses, for hosts Kick cannot reach with webhooks. `chatroomId` is
     * the channel's chatroom id (not the broadcaster id): `chatroom.id` in
     * https://kick.com/api/v2/channels/<slug>.
     */
    unofficialChat: Type.Optional(Type.Object({ chatroomId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
    /** Emit `chat.notice` for follows and subscriptions. */
    notices: Type.Object(
      {
        followers: Type.Boolean({ default: true }),
        subscribers: Type.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type KickConfig = Static<typeof configSchema>;
export type KickCreatorConfig = Static<typeof creatorConfigSchema>;
