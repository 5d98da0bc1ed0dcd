import { Type, type Static } from '@streamsuites/kernel';
import { streamlinkConfigSchema } from '@streamsuites/streamlink';

/** Plugin-wide settings (`plugins.youtube.config`). */
export const configSchema = Type.Object(
  {
    /** Data API root (`rootUrl` of @googleapis/youtube); tests point it at the fake. */
    apiUrl: Type.String({ pattern: '^https?://', default: 'https://youtube.googleapis.com/' }),
    /** OAuth 2.0 token endpoint for refresh tokens. */
    tokenUrl: Type.String({ pattern: '^https?://', default: 'https://oauth2.googleapis.com/token' }),
    /** A channel's public upload feed (no quota): `<feedUrl>?channel_id=UC...`. */
    feedUrl: Type.String({ pattern: '^https?://', default: 'https://www.youtube.com/feeds/videos.xml' }),
    /** How the clips plugin gets a creator's live stream: streamlink on the live video's page (see README "Stream source"). */
    streamlink: streamlinkConfigSchema,
  },
  { additionalProperties: false },
);

/** Per creator (`creators.<id>.config.youtube`). */
export const creatorConfigSchema = Type.Object(
  {
    /** The creator's channel (UC...): live broadcasts are discovered from it. */
    channelId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' })),
    /** Or a known live video. */
    videoId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,20}$' })),
    /** Or the live chat itself. */
    liveChatId: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
    /** Read-only access, usually `${env:YOUTUBE_API_KEY}`. */
    apiKey: Type.Optional(Type.String({ minLength: 10 })),
    /** OAuth (needed to send and for `liveBroadcasts.list mine=true`). */
    clientId: Type.Optional(Type.String({ minLength: 1 })),
    clientSecret: Type.Optional(Type.String({ minLength: 1 })),
    refreshToken: Type.Optional(Type.String({ minLength: 1 })),
    /** `auto`: server streaming when the API offers it, else polling. */
    transport: Type.Union([Type.Literal('auto'), Type.Literal('stream'), Type.Literal('poll')], { default: 'auto' }),
    discovery: Type.Object(
      {
        /** Seconds between live checks while offline (each costs ≤ 2 units without search). */
        intervalSec: Type.Integer({ minimum: 15, maximum: 3600, default: 120 }),
        /** Also try `search.list` (100 units) when the cheap checks find nothing. */
        useSearch: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    budget: Type.Object(
      {
        /** How long streams last: polling is stretched so the day's units cover this. */
        expectedStreamHours: Type.Number({ minimum: 0.5, maximum: 24, default: 8 }),
        /** Units kept for replies and discovery. */
        reserveUnits: Type.Integer({ minimum: 0, default: 600 }),
        minIntervalMs: Type.Integer({ minimum: 500, default: 1000 }),
        maxIntervalMs: Type.Integer({ minimum: 5000, default: 60_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type YouTubeConfig = Static<typeof configSchema>;
export type YouTubeCreatorConfig = Static<typeof creatorConfigSchema>;

/** Real Data API costs, charged before each call. */
export const COSTS = {
  'videos.list': 1,
  'liveBroadcasts.list': 1,
  'search.list': 100,
  'liveChatMessages.list': 5,
  'liveChatMessages.streamList': 5,
  'liveChatMessages.insert': 50,
  'liveChatMessages.delete': 50,
  'liveChatBans.insert': 50,
} as const;
export type ApiCall = keyof typeof COSTS;
