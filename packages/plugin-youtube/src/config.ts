import { Type, type Static } from '@streamsuites/kernel';
import { streamlinkConfigSchema } from '@streamsuites/streamlink';

/** Plugin-wide settings (`plugins.youtube.config`). */
export const configSchema = Type.Object(
  {
    /** `rootUrl` of @googleapis/youtube. */
    apiUrl: Type.String({
      pattern: '^https?://',
      default: 'https://youtube.googleapis.com/',
      description: 'Root URL of the YouTube Data API. Change it only to point at the local fake in tests.',
    }),
    tokenUrl: Type.String({
      pattern: '^https?://',
      default: 'https://oauth2.googleapis.com/token',
      description: 'OAuth 2.0 token endpoint, used to turn refresh tokens into access tokens. Change it only to point at a local fake.',
    }),
    feedUrl: Type.String({
      pattern: '^https?://',
      default: 'https://www.youtube.com/feeds/videos.xml',
      description: "A channel's public upload feed (`<feedUrl>?channel_id=UC...`), read for live discovery without spending quota. Change it only to point at a local fake.",
    }),
    /** How the clips plugin gets a creator's live stream: streamlink on the live video's page (see README "Stream source"). */
    streamlink: streamlinkConfigSchema,
  },
  { additionalProperties: false, description: 'Plugin-wide YouTube settings: the API, token and feed endpoints, and streamlink.' },
);

/**
 * Defaults of `creators.<id>.config.youtube.budget`: the budget governor the
 * plugin runs unless a creator says otherwise (the bench and the tests use
 * these, so they measure what a creator gets).
 */
export const BUDGET_DEFAULTS = { expectedStreamHours: 12, reserveUnits: 600, minIntervalMs: 1000, maxIntervalMs: 60_000 } as const;

/** Per creator (`creators.<id>.config.youtube`). */
export const creatorConfigSchema = Type.Object(
  {
    channelId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{10,64}$',
        description: "The creator's channel id (`UC...`): its live broadcasts are discovered. One of `channelId`, `videoId` or `liveChatId` is required.",
      }),
    ),
    videoId: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{6,20}$', description: 'A known live video whose chat is read directly, instead of discovering one from `channelId`.' }),
    ),
    liveChatId: Type.Optional(
      Type.String({ minLength: 8, maxLength: 256, description: 'The live chat id itself, used directly instead of a channel or video.' }),
    ),
    apiKey: Type.Optional(Type.String({ minLength: 10, description: 'Data API key for read-only access, usually `${env:YOUTUBE_API_KEY}`.' })),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'OAuth client id (scope `youtube.force-ssl`): with `clientSecret` and `refreshToken`, needed to reply and for `liveBroadcasts.list mine=true`.',
      }),
    ),
    clientSecret: Type.Optional(Type.String({ minLength: 1, description: 'OAuth client secret, with `clientId` and `refreshToken`.' })),
    refreshToken: Type.Optional(
      Type.String({ minLength: 1, description: 'OAuth refresh token of the channel (scope `youtube.force-ssl`), with `clientId` and `clientSecret`.' }),
    ),
    transport: Type.Union([Type.Literal('auto'), Type.Literal('stream'), Type.Literal('poll')], {
      default: 'auto',
      description:
        'How chat is read: `stream` (liveChatMessages.streamList), `poll` (liveChatMessages.list), or `auto`: streaming, falling back to polling when the API answers 404 or 501.',
    }),
    discovery: Type.Object(
      {
        intervalSec: Type.Integer({
          minimum: 15,
          maximum: 3600,
          default: 120,
          description: 'Seconds between live checks while the creator is offline; each check costs at most 2 quota units without search.',
        }),
        useSearch: Type.Boolean({
          default: false,
          description: 'Also try `search.list` (100 quota units) when the cheap checks find no live broadcast.',
        }),
      },
      { additionalProperties: false, default: {}, description: 'How a live broadcast is found from `channelId`.' },
    ),
    budget: Type.Object(
      {
        expectedStreamHours: Type.Number({
          minimum: 0.5,
          maximum: 24,
          default: BUDGET_DEFAULTS.expectedStreamHours,
          description:
            "How long streams last, in hours: reading chat (polls, or stream reconnections) is paced so the day's quota units last that long. The default covers a 12-hour stream on 10,000 units; set it lower for lower latency when streams are shorter.",
        }),
        reserveUnits: Type.Integer({
          minimum: 0,
          default: BUDGET_DEFAULTS.reserveUnits,
          description: 'Quota units polling never plans to spend, kept for replies (50 units each) and discovery.',
        }),
        minIntervalMs: Type.Integer({
          minimum: 500,
          default: BUDGET_DEFAULTS.minIntervalMs,
          description: "Shortest delay between chat polls, in milliseconds. YouTube's `pollingIntervalMillis` is always respected too.",
        }),
        maxIntervalMs: Type.Integer({
          minimum: 5000,
          default: BUDGET_DEFAULTS.maxIntervalMs,
          description: 'Longest delay between chat polls, in milliseconds, unless the quota left needs longer.',
        }),
      },
      { additionalProperties: false, default: {}, description: 'How chat polling spends the daily Data API quota (see the README, "The budget governor").' },
    ),
  },
  { additionalProperties: false, description: "What to watch for one creator on YouTube (a channel, a video or a live chat) and the credentials to use." },
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
