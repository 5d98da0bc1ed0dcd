/** Public option and record types of the fake YouTube Data API server. */
import type { LiveChatItem } from '../types.js';

/** What the fake serves; also the keys of `calls()` and of the `costs` option. */
export type FakeEndpoint =
  | 'videos.list'
  | 'liveBroadcasts.list'
  | 'search.list'
  | 'liveChatMessages.list'
  | 'liveChatMessages.streamList'
  | 'liveChatMessages.insert'
  | 'liveChatMessages.delete'
  | 'liveChatBans.insert'
  | 'oauth.token'
  | 'feeds.videos';

/** The Data API endpoints (everything but `oauth.token` and `feeds.videos`). */
export type FakeApiEndpoint = Exclude<FakeEndpoint, 'oauth.token' | 'feeds.videos'>;

/**
 * Error reasons `failNext` can inject, with their HTTP status:
 * `liveChatNotFound` 404; `liveChatEnded`, `liveChatDisabled`, `forbidden`,
 * `rateLimitExceeded`, `quotaExceeded`, `dailyLimitExceeded` 403;
 * `backendError` 503; `keyInvalid` 400; `authError` 401.
 */
export type FakeErrorReason =
  | 'liveChatNotFound'
  | 'liveChatEnded'
  | 'liveChatDisabled'
  | 'forbidden'
  | 'rateLimitExceeded'
  | 'quotaExceeded'
  | 'dailyLimitExceeded'
  | 'backendError'
  | 'keyInvalid'
  | 'authError';

/**
 * Bodies `malformNext` can serve instead of a good answer, all `200`:
 * `truncated` (the JSON cut in half; on streamList the first page cut and the
 * stream ended), `not-json` (an HTML page, as from a captive portal),
 * `items-not-array` (`items` is an object), `bad-item` (a `null` in the middle
 * of an otherwise good `items`; on streamList in the first page, the stream
 * goes on), `bad-element` (streamList: the first page, then an array element
 * that is not valid JSON, then the stream goes on; elsewhere as `bad-item`).
 */
export type FakeMalformedBody = 'truncated' | 'not-json' | 'items-not-array' | 'bad-item' | 'bad-element';

/** Someone in chat. A plain string is a display name (the channel id is derived from it). */
export interface FakeAuthor {
  /** `UC...`; default: derived from `displayName`. */
  channelId?: string;
  displayName: string;
  /** Default: true when `channelId` is the broadcast's channel. */
  isChatOwner?: boolean;
  isChatModerator?: boolean;
  isChatSponsor?: boolean;
  isVerified?: boolean;
}

/** An OAuth identity: the refresh token a client holds, and the channel it acts as. */
export interface FakeAccount {
  channelId: string;
  displayName: string;
  refreshToken: string;
}

export interface StartFakeYouTubeApiOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default; the fake is for tests and the demo only. */
  host?: string;
  /** Clock for publishedAt, token expiry, the quota day and polling checks; default `Date.now`. */
  now?: () => number;
  /** Accepted `key=` values; default `[FAKE_API_KEY]`; `null` accepts any key. */
  apiKeys?: Iterable<string> | null;
  /** The OAuth client; default `FAKE_CLIENT_ID` / `FAKE_CLIENT_SECRET`. */
  oauthClient?: { clientId: string; clientSecret: string };
  /** OAuth identities; default one bot account (`FAKE_BOT_ACCOUNT`). The first is `credentials`. */
  accounts?: FakeAccount[];
  /** Lifetime of issued access tokens (`expires_in`); default 3599 s as Google. */
  accessTokenTtlSec?: number;
  /** `pollingIntervalMillis` of list pages; default 2000. */
  pollingIntervalMs?: number;
  /** Items a first `list` / stream without `pageToken` returns (the "recent history"); default 50. */
  backlogSize?: number;
  /** false: `/liveChat/messages/stream` answers 404 (clients fall back to polling). Default true. */
  streamSupported?: boolean;
  /** Quota cost per endpoint; defaults are the real costs (stream: 5 per request). */
  costs?: Partial<Record<FakeEndpoint, number>>;
  /** Daily quota in units; default 10 000 as a new Google Cloud project. */
  dailyLimit?: number;
  /**
   * What a call the day's quota cannot pay for gets. `'refuse'` (default):
   * `403 quotaExceeded`, uncharged, as Google answers. `'count'`: it is
   * served and charged like any other, and counted (`overLimitCalls()`,
   * `overLimitUnits()`, `overLimit` in `requests()`), so a test can prove
   * that the client's own quota tracking kept within the limit instead of
   * relying on the fake's refusal. `failNext('quotaExceeded')` still
   * injects the refusal in either mode.
   */
  quotaOverLimit?: 'refuse' | 'count';
  /** The quota day resets at midnight in this zone (default `America/Los_Angeles`); `null` = never by itself. */
  quotaTimeZone?: string | null;
  /** Answer `rateLimitExceeded` to a `list` of one chat sooner than `pollingIntervalMillis` after the last one. Default false. */
  enforcePollingInterval?: boolean;
  /**
   * Page tokens older than this (ms, by `now`) are answered `400
   * invalidPageToken`, as the Data API answers a token it no longer accepts.
   * Default: tokens do not expire by age (see also `expirePageTokens`).
   */
  pageTokenTtlMs?: number;
}

export type FakeBroadcastState = 'upcoming' | 'live' | 'complete';

/** A snapshot of one broadcast (a live or scheduled video with a chat). */
export interface FakeBroadcast {
  videoId: string;
  liveChatId: string;
  channelId: string;
  title: string;
  state: FakeBroadcastState;
  scheduledStartTime?: number;
  actualStartTime?: number;
  actualEndTime?: number;
  concurrentViewers: number;
}

export interface GoLiveOptions {
  channelId: string;
  /** Default: generated (11 characters like a real video id). A scheduled video id makes it go live. */
  videoId?: string;
  /** Default: derived from the video id. */
  liveChatId?: string;
  title?: string;
  /** Channel name in snippets and the feed; default `Channel <id>`. */
  channelTitle?: string;
  concurrentViewers?: number;
}

export interface ScheduleOptions extends Omit<GoLiveOptions, 'concurrentViewers'> {
  /** ms since epoch; default now + 1 h. */
  scheduledStartTime?: number;
}

export interface SayOptions {
  author: FakeAuthor | string;
  text: string;
  /** Default: the chat of the most recent live broadcast. */
  liveChatId?: string;
}

export interface SuperChatOptions {
  author: FakeAuthor | string;
  /** Millionths of the currency unit (sent as a string on the wire, as the real API). */
  amountMicros: number;
  /** ISO 4217; default USD. */
  currency?: string;
  comment?: string;
  /** Default 1..7 from the amount. */
  tier?: number;
  liveChatId?: string;
}

export interface BanOptions {
  target: FakeAuthor | string;
  /** Absent: a permanent ban; else a timeout of this many seconds. */
  durationSec?: number;
  /** The moderator; default the channel owner. */
  by?: FakeAuthor | string;
  liveChatId?: string;
}

export interface FailNextOptions {
  /** How many requests fail; default 1. */
  count?: number;
  /** Only this endpoint; default any Data API endpoint (not `oauth.token` / `feeds.videos`). */
  endpoint?: FakeEndpoint;
}

/** A message a client posted with `liveChatMessages.insert`. */
/** A moderation call the fake accepted: a message deleted, or a ban (a timeout when temporary). */
export interface FakeModerationCall {
  action: 'delete' | 'timeout' | 'ban';
  liveChatId: string;
  messageId?: string;
  /** The banned channel. */
  channelId?: string;
  /** Seconds, for a timeout. */
  duration?: number;
  /** The OAuth account's channel. */
  by: string;
  at: number;
}

export interface FakeInsertedMessage {
  id: string;
  liveChatId: string;
  text: string;
  /** The OAuth account's channel. */
  channelId: string;
  at: number;
}

/** One HTTP request the fake answered. */
export interface FakeRequestRecord {
  /** null for paths the fake does not serve (answered 404). */
  endpoint: FakeEndpoint | null;
  method: string;
  path: string;
  /** Query parameters; repeated ones joined with `,`. The `key` value is kept as sent. */
  query: Record<string, string>;
  status: number;
  /** Quota units charged. */
  units: number;
  /** Set when the call took the day's usage past the limit (only with `quotaOverLimit: 'count'`). */
  overLimit?: true;
  /** Error reason when the answer was an error. */
  reason?: string;
  at: number;
}

export interface FakeCredentials {
  apiKey: string;
  clientId: string;
  clientSecret: string;
  /** Refresh token of the first account. */
  refreshToken: string;
  /** Channel of the first account (the bot). */
  channelId: string;
}

/**
 * A local YouTube Data API v3 server speaking the real protocol, for tests
 * and the demo. Point `@googleapis/youtube` at it with
 * `youtube({ version: 'v3', rootUrl: fake.url, auth: fake.credentials.apiKey })`.
 */
export interface FakeYouTubeApi extends AsyncDisposable {
  /** `rootUrl` for @googleapis/youtube: `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** OAuth token endpoint (`endpoints.oauth2TokenUrl` of google-auth-library). */
  readonly tokenUrl: string;
  /** The public channel feed, `<feedUrl>?channel_id=UC...`. */
  readonly feedUrl: string;
  readonly port: number;
  readonly host: string;
  readonly credentials: FakeCredentials;

  // --- broadcasts and videos
  /** Starts (or creates and starts) a broadcast with an open chat. */
  goLive(options: GoLiveOptions): FakeBroadcast;
  /** An upcoming broadcast: `scheduledStartTime`, a chat id, not live yet. */
  schedule(options: ScheduleOptions): FakeBroadcast;
  /** Ends a broadcast (default: the latest live one): chatEndedEvent, `actualEndTime`, `offlineAt`. */
  endStream(videoId?: string): FakeBroadcast;
  /** A plain upload (shows in the feed and in videos.list, no live details). Returns its id. */
  addVideo(options: { channelId: string; videoId?: string; title?: string; channelTitle?: string }): string;
  setViewers(videoId: string, concurrentViewers: number): void;
  broadcasts(): FakeBroadcast[];

  // --- chat traffic from "other users"; each returns the new item's id
  say(options: SayOptions): string;
  superChat(options: SuperChatOptions): string;
  /** A moderator deletes a message: messageDeletedEvent. */
  deleteMessage(messageId: string, options?: { by?: FakeAuthor | string; liveChatId?: string }): string;
  /** userBannedEvent (permanent, or temporary with `durationSec`). */
  ban(options: BanOptions): string;
  /** Any raw item (e.g. from the fixtures). `snippet.liveChatId` is set to the chat; a missing `id` is generated. */
  push(item: LiveChatItem, options?: { liveChatId?: string }): string;
  /** Every item of a chat so far (default: the latest live chat), as stored. */
  chatItems(liveChatId?: string): LiveChatItem[];

  // --- faults and limits
  failNext(reason: FakeErrorReason, options?: FailNextOptions): void;
  /**
   * The next `count` answers (default 1) of `endpoint` (default any Data API
   * endpoint) have a malformed `200` body (see FakeMalformedBody); they are
   * charged as the good answer would be. An answer that would be an error is
   * sent as it is (and uses one). Injected failures (`failNext`) come first.
   */
  malformNext(body: FakeMalformedBody, options?: FailNextOptions): void;
  setDailyLimit(units: number): void;
  resetQuota(): void;
  setPollingInterval(ms: number): void;
  setStreamSupported(supported: boolean): void;
  /** A valid access token of an account (default the first), as if from the token endpoint. */
  issueAccessToken(channelId?: string): string;
  /** Every issued access token expires now (the next call with one gets 401 authError). */
  expireAccessTokens(): void;
  /**
   * Every page token issued so far for the chat (default: all chats) is
   * rejected from now on with `400 invalidPageToken`, like an expired token
   * of the real API; a request without a token starts over.
   */
  expirePageTokens(liveChatId?: string): void;
  /** The refresh token stops working (`invalid_grant`). */
  revokeRefreshToken(refreshToken: string): void;
  /** Ends open streams: `']'` and a clean end, or (`abort`) a dropped connection. */
  closeStreams(options?: { abort?: boolean }): void;

  // --- observation
  /** Units charged in the current quota day (past the limit too, with `quotaOverLimit: 'count'`). */
  unitsUsed(): number;
  /** Calls served past the daily limit since the start (always 0 unless `quotaOverLimit: 'count'`). */
  overLimitCalls(): number;
  /** Units charged past the daily limit since the start, over every quota day (0 unless `quotaOverLimit: 'count'`). */
  overLimitUnits(): number;
  /** Requests per endpoint (every answer, errors included). */
  calls(): Record<FakeEndpoint, number>;
  requests(): FakeRequestRecord[];
  inserted(): FakeInsertedMessage[];
  /** Deletes and bans accepted (liveChatMessages.delete, liveChatBans.insert), in order. */
  moderationCalls(): FakeModerationCall[];
  /** The account of `channelId` may moderate every chat of the fake (the chat's owner always may). */
  addModerator(channelId: string): void;
  openStreams(): number;

  close(): Promise<void>;
}
