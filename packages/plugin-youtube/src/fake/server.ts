/**
 * A local YouTube Data API v3 server for tests and the demo. It answers the
 * requests the plugin makes (videos, liveBroadcasts, search, liveChatMessages
 * list / streamList / insert, the OAuth token endpoint, the public channel
 * feed) with bodies shaped like the captured ones in the repository's fixtures/youtube,
 * charges the real quota costs, and speaks Google's error envelopes, so an
 * unmodified `@googleapis/youtube` client works against it.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { youtube_v3 } from '@googleapis/youtube';
import type { LiveChatItem } from '../types.js';
import {
  customError,
  type GoogleError,
  googleError,
  googleJson,
  invalidValue,
  loginRequired,
  missingKey,
  requiredParameter,
  UNCHARGED,
  unknownPart,
} from './errors.js';
import { renderFeed } from './feed.js';
import { QuotaLedger } from './quota.js';
import {
  type BroadcastState,
  type ChannelState,
  ChatState,
  renderBroadcast,
  renderChatItem,
  renderSearchResult,
  renderVideo,
  snapshotOf,
  type VideoState,
} from './state.js';
import type {
  BanOptions,
  FailNextOptions,
  FakeAccount,
  FakeAuthor,
  FakeBroadcast,
  FakeCredentials,
  FakeEndpoint,
  FakeErrorReason,
  FakeInsertedMessage,
  FakeRequestRecord,
  FakeYouTubeApi,
  GoLiveOptions,
  SayOptions,
  ScheduleOptions,
  StartFakeYouTubeApiOptions,
  SuperChatOptions,
} from './types.js';
import { channelIdFor, chatTime, decodePageToken, etagOf, liveChatIdFor, messageIdFor, videoIdFor } from './wire.js';

/** The API key the fake accepts by default. */
export const FAKE_API_KEY = 'AIzaSyFAKE-streamsuites-0000000000000000';
export const FAKE_CLIENT_ID = '000000000000-streamsuitesfake.apps.googleusercontent.com';
export const FAKE_CLIENT_SECRET = 'GOCSPX-streamsuites-fake-secret';
/** The default OAuth identity: the bot channel that posts replies. */
export const FAKE_BOT_ACCOUNT: Readonly<FakeAccount> = Object.freeze({
  channelId: 'UCstreamsuitesFakeBot001',
  displayName: 'StreamSuites Bot',
  refreshToken: '1//streamsuites-fake-refresh-token',
});

/** Real Data API costs (streamList: 5 per request). The token endpoint and the feed cost nothing. */
export const DEFAULT_COSTS: Readonly<Record<FakeEndpoint, number>> = Object.freeze({
  'videos.list': 1,
  'liveBroadcasts.list': 1,
  'search.list': 100,
  'liveChatMessages.list': 5,
  'liveChatMessages.streamList': 5,
  'liveChatMessages.insert': 50,
  'oauth.token': 0,
  'feeds.videos': 0,
});

const ENDPOINTS = Object.keys(DEFAULT_COSTS) as FakeEndpoint[];
const API_ENDPOINTS: ReadonlySet<FakeEndpoint> = new Set(ENDPOINTS.filter((e) => e !== 'oauth.token' && e !== 'feeds.videos'));
const OAUTH_ONLY: ReadonlySet<FakeEndpoint> = new Set(['liveBroadcasts.list', 'liveChatMessages.insert']);

const ROUTES: Record<string, FakeEndpoint> = {
  'GET /youtube/v3/videos': 'videos.list',
  'GET /youtube/v3/liveBroadcasts': 'liveBroadcasts.list',
  'GET /youtube/v3/search': 'search.list',
  'GET /youtube/v3/liveChat/messages': 'liveChatMessages.list',
  'POST /youtube/v3/liveChat/messages': 'liveChatMessages.insert',
  'GET /youtube/v3/liveChat/messages/stream': 'liveChatMessages.streamList',
  'POST /token': 'oauth.token',
  'GET /feeds/videos.xml': 'feeds.videos',
};

const VIDEO_PARTS = new Set([
  'id',
  'snippet',
  'liveStreamingDetails',
  'status',
  'contentDetails',
  'statistics',
  'player',
  'topicDetails',
  'recordingDetails',
  'localizations',
]);
const BROADCAST_PARTS = new Set(['id', 'snippet', 'status', 'contentDetails', 'statistics', 'monetizationDetails']);
const SEARCH_PARTS = new Set(['id', 'snippet']);
const CHAT_PARTS = new Set(['id', 'snippet', 'authorDetails']);
const MAX_MESSAGE_LENGTH = 200;
const MAX_BODY = 1 << 20;

interface AccountState extends FakeAccount {
  revoked: boolean;
}

interface Failure {
  reason: FakeErrorReason;
  remaining: number;
  endpoint: FakeEndpoint | undefined;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  endpoint: FakeEndpoint;
  rec: FakeRequestRecord;
  /** Errors on the streaming endpoint are wrapped in a JSON array. */
  streaming: boolean;
}

interface OpenStream {
  res: ServerResponse;
  chat: ChatState;
  finish(): void;
  abort(): void;
}

type Auth = { ok: true; account: AccountState | undefined } | { ok: false; error: GoogleError };

export async function startFakeYouTubeApi(options: StartFakeYouTubeApiOptions = {}): Promise<FakeYouTubeApi> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new FakeYouTube(server, host, options);
}

const NOT_FOUND_HTML = (path: string): string =>
  `<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>${path.replace(/[<>&"]/g, '')}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`;

/** Repeated and comma-separated values (`part=id&part=snippet` or `part=id,snippet`). */
function multi(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function formatAmount(micros: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(micros / 1_000_000);
  } catch {
    return `${currency} ${(micros / 1_000_000).toFixed(2)}`;
  }
}

/** Super Chat tiers by amount (USD-like thresholds): 1 (<2) ... 7 (>=100). */
function tierOf(micros: number): number {
  const units = micros / 1_000_000;
  const limits = [2, 5, 10, 20, 50, 100];
  const i = limits.findIndex((l) => units < l);
  return i === -1 ? 7 : i + 1;
}

class FakeYouTube implements FakeYouTubeApi {
  readonly url: string;
  readonly tokenUrl: string;
  readonly feedUrl: string;
  readonly port: number;
  readonly host: string;
  readonly credentials: FakeCredentials;

  readonly #server: Server;
  readonly #now: () => number;
  readonly #apiKeys: Set<string> | null;
  readonly #client: { clientId: string; clientSecret: string };
  readonly #accounts = new Map<string, AccountState>();
  readonly #accessTokens = new Map<string, { account: AccountState; expiresAt: number }>();
  readonly #ttlSec: number;
  readonly #backlog: number;
  readonly #costs: Record<FakeEndpoint, number>;
  readonly #quota: QuotaLedger;
  readonly #enforceInterval: boolean;
  readonly #pageTokenTtlMs: number | undefined;
  #pollingInterval: number;
  #streamSupported: boolean;

  readonly #channels = new Map<string, ChannelState>();
  readonly #videos = new Map<string, VideoState>();
  readonly #chats = new Map<string, ChatState>();
  /** Videos in the order they went live (the latest is the default target of controls). */
  readonly #liveOrder: string[] = [];
  readonly #failures: Failure[] = [];
  readonly #calls: Record<FakeEndpoint, number>;
  readonly #requests: FakeRequestRecord[] = [];
  readonly #inserted: FakeInsertedMessage[] = [];
  readonly #streams = new Set<OpenStream>();
  readonly #records = new WeakMap<ServerResponse, FakeRequestRecord>();
  #serial = 0;
  #closing: Promise<void> | null = null;

  constructor(server: Server, host: string, options: StartFakeYouTubeApiOptions) {
    this.#server = server;
    this.host = host;
    this.port = (server.address() as AddressInfo).port;
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
    this.url = `${origin}/`;
    this.tokenUrl = `${origin}/token`;
    this.feedUrl = `${origin}/feeds/videos.xml`;
    this.#now = options.now ?? Date.now;
    this.#apiKeys = options.apiKeys === null ? null : new Set(options.apiKeys ?? [FAKE_API_KEY]);
    this.#client = options.oauthClient ?? { clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET };
    for (const a of options.accounts ?? [FAKE_BOT_ACCOUNT]) this.#accounts.set(a.refreshToken, { ...a, revoked: false });
    const first = [...this.#accounts.values()][0];
    if (first === undefined) throw new Error('startFakeYouTubeApi: accounts must not be empty');
    this.credentials = {
      apiKey: this.#apiKeys === null ? FAKE_API_KEY : ([...this.#apiKeys][0] ?? FAKE_API_KEY),
      clientId: this.#client.clientId,
      clientSecret: this.#client.clientSecret,
      refreshToken: first.refreshToken,
      channelId: first.channelId,
    };
    this.#ttlSec = options.accessTokenTtlSec ?? 3599;
    this.#backlog = options.backlogSize ?? 50;
    this.#pollingInterval = options.pollingIntervalMs ?? 2000;
    this.#streamSupported = options.streamSupported ?? true;
    this.#costs = { ...DEFAULT_COSTS, ...options.costs };
    this.#quota = new QuotaLedger(options.dailyLimit ?? 10_000, options.quotaTimeZone === undefined ? 'America/Los_Angeles' : options.quotaTimeZone, this.#now);
    this.#enforceInterval = options.enforcePollingInterval ?? false;
    this.#pageTokenTtlMs = options.pageTokenTtlMs;
    this.#calls = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<FakeEndpoint, number>;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.#sendJson(res, 500, { error: customError(500, 'internalError', String(err)) });
        else res.destroy();
      });
    });
  }

  // ================================================================ controls

  goLive(o: GoLiveOptions): FakeBroadcast {
    const now = this.#now();
    const existing = o.videoId === undefined ? undefined : this.#videos.get(o.videoId);
    if (existing !== undefined) {
      const b = existing.broadcast;
      if (b === undefined) throw new Error(`goLive: ${existing.videoId} is an upload, not a broadcast`);
      if (b.state === 'complete') throw new Error(`goLive: ${existing.videoId} has ended`);
      if (b.state === 'upcoming') {
        b.state = 'live';
        b.actualStartTime = now;
        if (o.concurrentViewers !== undefined) b.concurrentViewers = o.concurrentViewers;
        if (o.title !== undefined) existing.title = o.title;
        this.#liveOrder.push(existing.videoId);
      }
      return snapshotOf(existing);
    }
    const v = this.#createBroadcast(o, 'live');
    v.broadcast!.actualStartTime = now;
    v.broadcast!.concurrentViewers = o.concurrentViewers ?? 0;
    this.#liveOrder.push(v.videoId);
    return snapshotOf(v);
  }

  schedule(o: ScheduleOptions): FakeBroadcast {
    if (o.videoId !== undefined && this.#videos.has(o.videoId)) throw new Error(`schedule: video ${o.videoId} exists`);
    const v = this.#createBroadcast(o, 'upcoming');
    v.broadcast!.scheduledStartTime = o.scheduledStartTime ?? this.#now() + 3_600_000;
    return snapshotOf(v);
  }

  endStream(videoId?: string): FakeBroadcast {
    const v = videoId === undefined ? this.#latestLive() : this.#videos.get(videoId);
    if (v?.broadcast === undefined) throw new Error(`endStream: no broadcast ${videoId ?? '(none is live)'}`);
    const b = v.broadcast;
    if (b.state === 'complete') return snapshotOf(v);
    const now = this.#now();
    const owner = this.#channels.get(v.channelId)!;
    // offlineAt first, so the page (or stream document) with the chatEndedEvent carries it.
    b.chat.offlineAt = now;
    this.#append(b.chat, 'chatEndedEvent', this.#authorDetails({ channelId: v.channelId, displayName: owner.title }, b.chat), {}, undefined, now);
    b.state = 'complete';
    b.actualEndTime = now;
    b.chat.end(now);
    return snapshotOf(v);
  }

  addVideo(o: { channelId: string; videoId?: string; title?: string; channelTitle?: string }): string {
    const channel = this.#channel(o.channelId, o.channelTitle);
    const videoId = o.videoId ?? videoIdFor(`${o.channelId}:${++this.#serial}`);
    if (this.#videos.has(videoId)) throw new Error(`addVideo: video ${videoId} exists`);
    this.#videos.set(videoId, { videoId, channelId: o.channelId, title: o.title ?? `Video ${videoId}`, publishedAt: this.#now() });
    channel.videos.push(videoId);
    return videoId;
  }

  setViewers(videoId: string, concurrentViewers: number): void {
    const b = this.#videos.get(videoId)?.broadcast;
    if (b === undefined) throw new Error(`setViewers: no broadcast ${videoId}`);
    b.concurrentViewers = concurrentViewers;
  }

  broadcasts(): FakeBroadcast[] {
    return [...this.#videos.values()].filter((v) => v.broadcast !== undefined).map(snapshotOf);
  }

  say(o: SayOptions): string {
    const chat = this.#chat(o.liveChatId);
    const text = o.text;
    return this.#append(chat, 'textMessageEvent', this.#authorDetails(o.author, chat), { textMessageDetails: { messageText: text } }, text);
  }

  superChat(o: SuperChatOptions): string {
    const chat = this.#chat(o.liveChatId);
    const author = this.#authorDetails(o.author, chat);
    const currency = o.currency ?? 'USD';
    const display = formatAmount(o.amountMicros, currency);
    const details: youtube_v3.Schema$LiveChatSuperChatDetails = {
      amountMicros: String(o.amountMicros),
      currency,
      amountDisplayString: display,
      userComment: o.comment ?? '',
      tier: o.tier ?? tierOf(o.amountMicros),
    };
    const shown = o.comment ? `${display} from ${author.displayName}: "${o.comment}"` : `${display} from ${author.displayName}`;
    return this.#append(chat, 'superChatEvent', author, { superChatDetails: details }, shown);
  }

  deleteMessage(messageId: string, o: { by?: FakeAuthor | string; liveChatId?: string } = {}): string {
    const chat = this.#chat(o.liveChatId);
    return this.#append(chat, 'messageDeletedEvent', this.#moderator(o.by, chat), { messageDeletedDetails: { deletedMessageId: messageId } });
  }

  ban(o: BanOptions): string {
    const chat = this.#chat(o.liveChatId);
    const target = this.#authorDetails(o.target, chat);
    const details: youtube_v3.Schema$LiveChatUserBannedMessageDetails = {
      bannedUserDetails: {
        channelId: target.channelId,
        channelUrl: target.channelUrl,
        displayName: target.displayName,
        profileImageUrl: target.profileImageUrl,
      },
      banType: o.durationSec === undefined ? 'permanent' : 'temporary',
    };
    // uint64 on the wire: a string.
    if (o.durationSec !== undefined) details.banDurationSeconds = String(o.durationSec);
    return this.#append(chat, 'userBannedEvent', this.#moderator(o.by, chat), { userBannedDetails: details });
  }

  push(item: LiveChatItem, o: { liveChatId?: string } = {}): string {
    const chat = this.#chat(o.liveChatId);
    const copy = structuredClone(item);
    const id = typeof copy.id === 'string' && copy.id.length > 0 ? copy.id : messageIdFor(chat.liveChatId, chat.items.length + 1, this.#now());
    copy.id = id;
    if (copy.snippet !== undefined && copy.snippet !== null && typeof copy.snippet === 'object') copy.snippet.liveChatId = chat.liveChatId;
    chat.append(copy);
    return id;
  }

  chatItems(liveChatId?: string): LiveChatItem[] {
    return structuredClone(this.#chat(liveChatId, true).items);
  }

  failNext(reason: FakeErrorReason, o: FailNextOptions = {}): void {
    const count = o.count ?? 1;
    if (count > 0) this.#failures.push({ reason, remaining: count, endpoint: o.endpoint });
  }

  setDailyLimit(units: number): void {
    this.#quota.limit = units;
  }

  resetQuota(): void {
    this.#quota.reset();
  }

  setPollingInterval(ms: number): void {
    this.#pollingInterval = ms;
  }

  setStreamSupported(supported: boolean): void {
    this.#streamSupported = supported;
  }

  issueAccessToken(channelId?: string): string {
    const account = channelId === undefined ? [...this.#accounts.values()][0]! : [...this.#accounts.values()].find((a) => a.channelId === channelId);
    if (account === undefined) throw new Error(`issueAccessToken: no account for ${channelId}`);
    return this.#issue(account);
  }

  expirePageTokens(liveChatId?: string): void {
    const chats = liveChatId === undefined ? [...this.#chats.values()] : [this.#chat(liveChatId, true)];
    for (const chat of chats) chat.tokenGeneration += 1;
  }

  expireAccessTokens(): void {
    const now = this.#now();
    for (const t of this.#accessTokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  revokeRefreshToken(refreshToken: string): void {
    const account = this.#accounts.get(refreshToken);
    if (account !== undefined) account.revoked = true;
    for (const [token, t] of this.#accessTokens) if (t.account === account) this.#accessTokens.delete(token);
  }

  closeStreams(o: { abort?: boolean } = {}): void {
    for (const s of [...this.#streams]) (o.abort === true ? s.abort : s.finish)();
  }

  unitsUsed(): number {
    return this.#quota.used();
  }

  calls(): Record<FakeEndpoint, number> {
    return { ...this.#calls };
  }

  requests(): FakeRequestRecord[] {
    return this.#requests.map((r) => ({ ...r, query: { ...r.query } }));
  }

  inserted(): FakeInsertedMessage[] {
    return this.#inserted.map((m) => ({ ...m }));
  }

  openStreams(): number {
    return this.#streams.size;
  }

  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      this.closeStreams();
      await new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        this.#server.closeAllConnections();
      });
    })());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ================================================================ world

  #channel(channelId: string, title?: string): ChannelState {
    let c = this.#channels.get(channelId);
    if (c === undefined) {
      c = { channelId, title: title ?? `Channel ${channelId}`, videos: [] };
      this.#channels.set(channelId, c);
    } else if (title !== undefined) {
      c.title = title;
    }
    return c;
  }

  #createBroadcast(o: GoLiveOptions | ScheduleOptions, state: 'live' | 'upcoming'): VideoState {
    const channel = this.#channel(o.channelId, o.channelTitle);
    const videoId = o.videoId ?? videoIdFor(`${o.channelId}:${++this.#serial}`);
    if (this.#videos.has(videoId)) throw new Error(`video ${videoId} exists`);
    const liveChatId = o.liveChatId ?? liveChatIdFor(videoId, o.channelId);
    if (this.#chats.has(liveChatId)) throw new Error(`live chat ${liveChatId} exists`);
    const chat = new ChatState(liveChatId, videoId, o.channelId);
    const broadcast: BroadcastState = { liveChatId, state, concurrentViewers: 0, chat };
    const v: VideoState = { videoId, channelId: o.channelId, title: o.title ?? `Live ${videoId}`, publishedAt: this.#now(), broadcast };
    this.#videos.set(videoId, v);
    this.#chats.set(liveChatId, chat);
    channel.videos.push(videoId);
    return v;
  }

  #latestLive(): VideoState | undefined {
    for (let i = this.#liveOrder.length - 1; i >= 0; i--) {
      const v = this.#videos.get(this.#liveOrder[i]!);
      if (v?.broadcast?.state === 'live') return v;
    }
    return undefined;
  }

  /** The chat a control targets: the given one, or the latest live broadcast's. */
  #chat(liveChatId: string | undefined, allowEnded = false): ChatState {
    if (liveChatId !== undefined) {
      const chat = this.#chats.get(liveChatId);
      if (chat === undefined) throw new Error(`unknown liveChatId ${liveChatId}`);
      return chat;
    }
    const live = this.#latestLive();
    if (live !== undefined) return live.broadcast!.chat;
    if (allowEnded && this.#liveOrder.length > 0) return this.#videos.get(this.#liveOrder.at(-1)!)!.broadcast!.chat;
    throw new Error('no live broadcast: call goLive() first or pass liveChatId');
  }

  #authorDetails(author: FakeAuthor | string, chat: ChatState): youtube_v3.Schema$LiveChatMessageAuthorDetails {
    const a: FakeAuthor = typeof author === 'string' ? { displayName: author } : author;
    const channelId = a.channelId ?? channelIdFor(a.displayName);
    return {
      channelId,
      channelUrl: `http://www.youtube.com/channel/${channelId}`,
      displayName: a.displayName,
      profileImageUrl: `https://yt3.ggpht.com/ytc/fake_${channelId}=s88-c-k-c0x00ffffff-no-rj`,
      isVerified: a.isVerified ?? false,
      isChatOwner: a.isChatOwner ?? channelId === chat.channelId,
      isChatSponsor: a.isChatSponsor ?? false,
      isChatModerator: a.isChatModerator ?? false,
    };
  }

  /** A moderation action's author: the given moderator, or the channel owner. */
  #moderator(by: FakeAuthor | string | undefined, chat: ChatState): youtube_v3.Schema$LiveChatMessageAuthorDetails {
    if (by === undefined) return this.#authorDetails({ channelId: chat.channelId, displayName: this.#channels.get(chat.channelId)!.title }, chat);
    const a: FakeAuthor = typeof by === 'string' ? { displayName: by, isChatModerator: true } : { isChatModerator: true, ...by };
    return this.#authorDetails(a, chat);
  }

  /** Appends an item built like the API's: id, etag, snippet (publishedAt now) and authorDetails. */
  #append(
    chat: ChatState,
    type: string,
    author: youtube_v3.Schema$LiveChatMessageAuthorDetails,
    details: youtube_v3.Schema$LiveChatMessageSnippet,
    displayMessage?: string,
    at = this.#now(),
  ): string {
    const id = messageIdFor(chat.liveChatId, chat.items.length + 1, at);
    const snippet: youtube_v3.Schema$LiveChatMessageSnippet = {
      type,
      liveChatId: chat.liveChatId,
      authorChannelId: author.channelId!,
      publishedAt: chatTime(at),
      hasDisplayContent: displayMessage !== undefined,
    };
    if (displayMessage !== undefined) snippet.displayMessage = displayMessage;
    Object.assign(snippet, details);
    const item: LiveChatItem = { kind: 'youtube#liveChatMessage', etag: '', id, snippet, authorDetails: author };
    item.etag = etagOf(item);
    chat.append(item);
    return id;
  }

  #issue(account: AccountState): string {
    const token = `ya29.fake-${createHash('sha256').update(`${account.refreshToken}#${++this.#serial}`).digest('base64url').slice(0, 40)}`;
    this.#accessTokens.set(token, { account, expiresAt: this.#now() + this.#ttlSec * 1000 });
    return token;
  }

  // ================================================================ HTTP

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const query: Record<string, string> = {};
    for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name).join(',');
    const endpoint = ROUTES[`${method} ${url.pathname}`] ?? null;
    const rec: FakeRequestRecord = { endpoint, method, path: url.pathname, query, status: 0, units: 0, at: this.#now() };
    this.#requests.push(rec);
    this.#records.set(res, rec);
    if (endpoint === null) return this.#notFound(res, url.pathname);
    this.#calls[endpoint]++;
    const ctx: Ctx = { req, res, url, endpoint, rec, streaming: endpoint === 'liveChatMessages.streamList' };
    if (endpoint === 'oauth.token') return this.#token(ctx);
    if (endpoint === 'feeds.videos') return this.#feed(ctx);
    if (ctx.streaming && !this.#streamSupported) return this.#notFound(res, url.pathname);

    const auth = this.#authenticate(ctx);
    if (!auth.ok) return this.#error(ctx, auth.error);
    const failure = this.#failureFor(endpoint);
    if (failure !== undefined && UNCHARGED.has(failure.reason)) return this.#fail(ctx, failure);
    const cost = this.#costs[endpoint];
    if (cost > 0) {
      if (this.#quota.wouldExceed(cost)) return this.#error(ctx, googleError('quotaExceeded'));
      this.#quota.charge(cost);
      rec.units = cost;
    }
    if (failure !== undefined) return this.#fail(ctx, failure);

    switch (endpoint) {
      case 'videos.list':
        return this.#videosList(ctx);
      case 'liveBroadcasts.list':
        return this.#broadcastsList(ctx, auth.account!);
      case 'search.list':
        return this.#searchList(ctx);
      case 'liveChatMessages.list':
        return this.#chatList(ctx);
      case 'liveChatMessages.streamList':
        return this.#chatStream(ctx);
      case 'liveChatMessages.insert':
        return this.#chatInsert(ctx, auth.account!);
    }
  }

  /**
   * `key=` must be a known API key (else 400 keyInvalid); a Bearer token must
   * be a live access token (else 401 authError). Data API calls need one of
   * the two; liveBroadcasts.list and insert need the token (401 required).
   */
  #authenticate(ctx: Ctx): Auth {
    const key = ctx.url.searchParams.get('key');
    if (key !== null && this.#apiKeys !== null && !this.#apiKeys.has(key)) return { ok: false, error: googleError('keyInvalid') };
    let account: AccountState | undefined;
    const header = ctx.req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const t = m === null ? undefined : this.#accessTokens.get(m[1]!);
      if (t === undefined || t.expiresAt <= this.#now() || t.account.revoked) return { ok: false, error: googleError('authError') };
      account = t.account;
    }
    if (OAUTH_ONLY.has(ctx.endpoint) && account === undefined) return { ok: false, error: loginRequired() };
    if (key === null && account === undefined) return { ok: false, error: missingKey() };
    return { ok: true, account };
  }

  #failureFor(endpoint: FakeEndpoint): Failure | undefined {
    return this.#failures.find((f) => (f.endpoint === undefined ? API_ENDPOINTS.has(endpoint) : f.endpoint === endpoint));
  }

  #fail(ctx: Ctx, f: Failure): void {
    f.remaining--;
    if (f.remaining <= 0) this.#failures.splice(this.#failures.indexOf(f), 1);
    this.#error(ctx, googleError(f.reason));
  }

  /** writeHead, and the status into the request record (synchronously, before the client can see it). */
  #head(res: ServerResponse, status: number, headers: Record<string, string | number>): void {
    const rec = this.#records.get(res);
    if (rec !== undefined) rec.status = status;
    res.writeHead(status, headers);
  }

  #sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = googleJson(body);
    this.#head(res, status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
      vary: 'Origin, X-Origin, Referer',
      'cache-control': 'private',
      server: 'ESF',
    });
    res.end(text);
  }

  #ok(ctx: Ctx, body: unknown): void {
    this.#sendJson(ctx.res, 200, body);
  }

  #error(ctx: Ctx, error: GoogleError): void {
    ctx.rec.reason = error.errors[0]?.reason;
    this.#sendJson(ctx.res, error.code, ctx.streaming ? [{ error }] : { error });
  }

  #notFound(res: ServerResponse, path: string): void {
    const body = NOT_FOUND_HTML(path);
    this.#head(res, 404, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  /** The `part` parameter: required, every value known. */
  #parts(ctx: Ctx, allowed: ReadonlySet<string>): Set<string> | undefined {
    const parts = multi(ctx.url, 'part');
    if (parts.length === 0) {
      this.#error(ctx, requiredParameter('part'));
      return undefined;
    }
    const unknown = parts.find((p) => !allowed.has(p));
    if (unknown !== undefined) {
      this.#error(ctx, unknownPart(unknown));
      return undefined;
    }
    return new Set(parts);
  }

  /** `maxResults` within [min, max], `fallback` when absent; undefined after answering 400. */
  #maxResults(ctx: Ctx, fallback: number, min: number, max: number): number | undefined {
    const raw = ctx.url.searchParams.get('maxResults');
    if (raw === null) return fallback;
    const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) {
      this.#error(ctx, invalidValue('maxResults', `Invalid value '${raw}'. Values must be within the range: [${min}, ${max}]`));
      return undefined;
    }
    return n;
  }

  #channelTitle(channelId: string): string {
    return this.#channels.get(channelId)?.title ?? `Channel ${channelId}`;
  }

  // ---------------------------------------------------------------- videos.list

  #videosList(ctx: Ctx): void {
    const parts = this.#parts(ctx, VIDEO_PARTS);
    if (parts === undefined) return;
    const ids = multi(ctx.url, 'id');
    if (ids.length === 0 && !ctx.url.searchParams.has('id')) {
      return this.#error(ctx, customError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: id, chart, myRating', { location: 'parameters.', locationType: 'other' }));
    }
    if (ids.length > 50) return this.#error(ctx, invalidValue('id', 'The request specifies more than 50 video ids.'));
    const items = ids.flatMap((id) => {
      const v = this.#videos.get(id);
      return v === undefined ? [] : [renderVideo(v, parts, this.#channelTitle(v.channelId))];
    });
    this.#ok(ctx, {
      kind: 'youtube#videoListResponse',
      etag: etagOf(items),
      items,
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    });
  }

  // ---------------------------------------------------------------- liveBroadcasts.list

  /** Exactly one filter (`id`, `mine`, `broadcastStatus`), and only the caller's own broadcasts. */
  #broadcastsList(ctx: Ctx, account: AccountState): void {
    const parts = this.#parts(ctx, BROADCAST_PARTS);
    if (parts === undefined) return;
    const sp = ctx.url.searchParams;
    const filters = ['id', 'mine', 'broadcastStatus'].filter((f) => sp.has(f));
    if (filters.length === 0) {
      return this.#error(ctx, customError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: id, mine, broadcastStatus', { location: 'parameters.', locationType: 'other' }));
    }
    if (filters.length > 1) {
      return this.#error(ctx, customError(400, 'incompatibleParameters', `Incompatible parameters specified in the request: ${filters.join(', ')}`, { domain: 'youtube.parameter', location: 'parameters.', locationType: 'other' }));
    }
    const max = this.#maxResults(ctx, 5, 0, 50);
    if (max === undefined) return;
    const status = sp.get('broadcastStatus');
    if (status !== null && !['active', 'all', 'completed', 'upcoming'].includes(status)) {
      return this.#error(ctx, invalidValue('broadcastStatus', `Invalid value '${status}'. Expected one of: active, all, completed, upcoming`));
    }
    const ids = new Set(multi(ctx.url, 'id'));
    const mine = [...this.#videos.values()]
      .filter((v) => v.broadcast !== undefined && v.channelId === account.channelId)
      .filter((v) => {
        const s = v.broadcast!.state;
        if (ids.size > 0) return ids.has(v.videoId);
        if (status === 'active') return s === 'live';
        if (status === 'upcoming') return s === 'upcoming';
        if (status === 'completed') return s === 'complete';
        return true;
      })
      .sort((a, b) => (b.broadcast!.actualStartTime ?? b.publishedAt) - (a.broadcast!.actualStartTime ?? a.publishedAt));
    const items = mine.slice(0, max).map((v) => renderBroadcast(v, parts));
    this.#ok(ctx, {
      kind: 'youtube#liveBroadcastListResponse',
      etag: etagOf(items),
      pageInfo: { totalResults: mine.length, resultsPerPage: max },
      items,
    });
  }

  // ---------------------------------------------------------------- search.list

  #searchList(ctx: Ctx): void {
    const parts = this.#parts(ctx, SEARCH_PARTS);
    if (parts === undefined) return;
    const sp = ctx.url.searchParams;
    const max = this.#maxResults(ctx, 5, 0, 50);
    if (max === undefined) return;
    const types = multi(ctx.url, 'type');
    const eventType = sp.get('eventType');
    if (eventType !== null) {
      if (types.length !== 1 || types[0] !== 'video') {
        return this.#error(
          ctx,
          customError(
            400,
            'invalidSearchFilter',
            'The request contains an invalid combination of search filters and/or restrictions. Note that you must set the type parameter to video if you set either the forContentOwner, forDeveloper, or forMine parameters to true. You must also set the type parameter to video if you set a value for the eventType, videoCaption, videoCategoryId, videoDefinition, videoDimension, videoDuration, videoEmbeddable, videoLicense, videoSyndicated, or videoType parameters.',
            { domain: 'youtube.search', location: 'type', locationType: 'parameter' },
          ),
        );
      }
      if (!['live', 'upcoming', 'completed'].includes(eventType)) {
        return this.#error(ctx, invalidValue('eventType', `Invalid value '${eventType}'. Expected one of: completed, live, upcoming`));
      }
    }
    const channelId = sp.get('channelId');
    const wantsVideos = types.length === 0 || types.includes('video');
    const found = [...this.#videos.values()]
      .filter((v) => wantsVideos && (channelId === null || v.channelId === channelId))
      .filter((v) => {
        if (eventType === null) return true;
        const s = v.broadcast?.state;
        return eventType === 'live' ? s === 'live' : eventType === 'upcoming' ? s === 'upcoming' : s === 'complete';
      })
      .sort((a, b) => b.publishedAt - a.publishedAt);
    const items = found.slice(0, max).map((v) => {
      const r = renderSearchResult(v, this.#channelTitle(v.channelId));
      if (!parts.has('snippet')) delete r.snippet;
      return r;
    });
    this.#ok(ctx, {
      kind: 'youtube#searchListResponse',
      etag: etagOf(items),
      regionCode: 'US',
      pageInfo: { totalResults: found.length, resultsPerPage: max },
      items,
    });
  }

  // ---------------------------------------------------------------- liveChatMessages

  /**
   * What list and streamList share: parts, the chat, maxResults and the start
   * position (after the page token, or the recent backlog without one). An
   * ended chat answers liveChatEnded to a request without a token and to a
   * client that has seen everything (the chatEndedEvent included).
   */
  #chatRequest(ctx: Ctx): { chat: ChatState; parts: Set<string>; max: number; from: number } | undefined {
    const sp = ctx.url.searchParams;
    const liveChatId = sp.get('liveChatId');
    if (liveChatId === null || liveChatId.length === 0) {
      this.#error(ctx, requiredParameter('liveChatId'));
      return undefined;
    }
    const parts = this.#parts(ctx, CHAT_PARTS);
    if (parts === undefined) return undefined;
    // The docs say 200-2000; the fake allows smaller pages so paging can be tested.
    const max = this.#maxResults(ctx, 500, 1, 2000);
    if (max === undefined) return undefined;
    const chat = this.#chats.get(liveChatId);
    if (chat === undefined) {
      this.#error(ctx, googleError('liveChatNotFound'));
      return undefined;
    }
    const token = sp.get('pageToken');
    let from: number;
    if (token === null || token.length === 0) {
      from = Math.max(0, chat.items.length - this.#backlog);
    } else {
      // Like the Data API: a malformed token, one of another chat, or one that
      // is no longer valid (expired, or from before the server's chat was
      // reset) is `400 invalidPageToken`; the client must start over without one.
      const t = decodePageToken(liveChatId, token);
      const stale = t !== undefined && (t.generation !== chat.tokenGeneration || (this.#pageTokenTtlMs !== undefined && this.#now() - t.issuedAt > this.#pageTokenTtlMs));
      if (t === undefined || stale || t.position > chat.items.length) {
        this.#error(ctx, customError(400, 'invalidPageToken', 'The request specifies an invalid page token.', { domain: 'youtube.parameter', location: 'pageToken', locationType: 'parameter' }));
        return undefined;
      }
      from = t.position;
    }
    if (chat.ended && (token === null || token.length === 0 || from >= chat.items.length)) {
      this.#error(ctx, googleError('liveChatEnded'));
      return undefined;
    }
    return { chat, parts, max, from };
  }

  #chatList(ctx: Ctx): void {
    const r = this.#chatRequest(ctx);
    if (r === undefined) return;
    const now = this.#now();
    if (this.#enforceInterval && r.chat.lastListAt !== undefined && now - r.chat.lastListAt < this.#pollingInterval) {
      return this.#error(ctx, googleError('rateLimitExceeded'));
    }
    r.chat.lastListAt = now;
    this.#ok(ctx, r.chat.page(r.from, r.max, r.parts, this.#pollingInterval, now).body);
  }

  /**
   * Server streaming: `200`, then a JSON array written as chat arrives —
   * `[` and the first document at once (the backlog, possibly empty), one
   * more document per batch of new items, and `]` after the document with
   * the chatEndedEvent (or when the server closes the stream).
   */
  #chatStream(ctx: Ctx): void {
    const r = this.#chatRequest(ctx);
    if (r === undefined) return;
    const { res } = ctx;
    this.#head(res, 200, { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', server: 'ESF' });
    let pos = r.from;
    let done = false;
    let first = true;
    const write = (): void => {
      const { body, next } = r.chat.page(pos, r.max, r.parts, undefined, this.#now());
      pos = next;
      res.write(`${first ? '[' : '\n,'}${googleJson(body)}`);
      first = false;
    };
    const cleanup = (): void => {
      done = true;
      unsubscribe();
      this.#streams.delete(stream);
    };
    const stream: OpenStream = {
      res,
      chat: r.chat,
      finish: () => {
        if (done) return;
        cleanup();
        res.end('\n]');
      },
      abort: () => {
        if (done) return;
        cleanup();
        res.destroy();
      },
    };
    const flush = (): void => {
      if (done) return;
      while (pos < r.chat.items.length) write();
      if (r.chat.ended) stream.finish();
    };
    const unsubscribe = r.chat.subscribe(flush);
    this.#streams.add(stream);
    // The response's close covers a client that goes away (the request's own close only means its body was read).
    res.on('close', () => {
      if (!done) cleanup();
    });
    write();
    flush();
  }

  async #chatInsert(ctx: Ctx, account: AccountState): Promise<void> {
    const parts = this.#parts(ctx, CHAT_PARTS);
    if (parts === undefined) return;
    let body: unknown;
    try {
      body = JSON.parse((await readBody(ctx.req)).toString('utf8'));
    } catch {
      return this.#error(ctx, customError(400, 'parseError', 'Parse Error'));
    }
    const snippet = (body as { snippet?: Record<string, unknown> } | null)?.snippet;
    const liveChatId = snippet?.liveChatId;
    if (typeof liveChatId !== 'string' || liveChatId.length === 0) return this.#error(ctx, requiredParameter('snippet.liveChatId'));
    if (snippet!.type !== 'textMessageEvent') {
      return this.#error(ctx, invalidValue('snippet.type', `Invalid value '${String(snippet!.type)}'. Only textMessageEvent can be inserted.`));
    }
    const text = (snippet!.textMessageDetails as { messageText?: unknown } | undefined)?.messageText;
    if (typeof text !== 'string' || text.trim().length === 0 || [...text].length > MAX_MESSAGE_LENGTH) {
      return this.#error(ctx, customError(400, 'invalidMessageText', `The message text must be 1 to ${MAX_MESSAGE_LENGTH} characters.`, { domain: 'youtube.liveChat' }));
    }
    const chat = this.#chats.get(liveChatId);
    if (chat === undefined) return this.#error(ctx, googleError('liveChatNotFound'));
    if (chat.ended) return this.#error(ctx, googleError('liveChatEnded'));
    const at = this.#now();
    const author = this.#authorDetails({ channelId: account.channelId, displayName: account.displayName }, chat);
    const id = this.#append(chat, 'textMessageEvent', author, { textMessageDetails: { messageText: text } }, text, at);
    this.#inserted.push({ id, liveChatId, text, channelId: account.channelId, at });
    this.#ok(ctx, renderChatItem(chat.items.at(-1)!, parts));
  }

  // ---------------------------------------------------------------- OAuth and the feed

  /**
   * Google's token endpoint for `grant_type=refresh_token`: client id and
   * secret in the form (or HTTP Basic). Unknown client or wrong secret →
   * 401 invalid_client; unknown or revoked refresh token → 400 invalid_grant.
   */
  async #token(ctx: Ctx): Promise<void> {
    const failure = this.#failureFor('oauth.token');
    const oauthError = (status: number, error: string, description: string): void => {
      ctx.rec.reason = error;
      this.#sendJson(ctx.res, status, { error, error_description: description });
    };
    if (failure !== undefined) {
      failure.remaining--;
      if (failure.remaining <= 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
      const status = googleError(failure.reason).code;
      return oauthError(status, status >= 500 ? 'internal_failure' : failure.reason, googleError(failure.reason).message);
    }
    let form: URLSearchParams;
    try {
      const raw = (await readBody(ctx.req)).toString('utf8');
      form = (ctx.req.headers['content-type'] ?? '').includes('application/json')
        ? new URLSearchParams(Object.entries(JSON.parse(raw) as Record<string, string>))
        : new URLSearchParams(raw);
    } catch {
      return oauthError(400, 'invalid_request', 'Could not parse the request body.');
    }
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
    if (basic !== null) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId ??= decodeURIComponent(id ?? '');
      clientSecret ??= decodeURIComponent(secret ?? '');
    }
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
    if (clientId !== this.#client.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (clientSecret !== this.#client.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
    const refreshToken = form.get('refresh_token');
    if (refreshToken === null || refreshToken.length === 0) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    const account = this.#accounts.get(refreshToken);
    if (account === undefined) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (account.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    const accessToken = this.#issue(account);
    ctx.res.setHeader('pragma', 'no-cache');
    this.#sendJson(ctx.res, 200, {
      access_token: accessToken,
      expires_in: this.#ttlSec,
      scope: 'https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/youtube',
      token_type: 'Bearer',
    });
  }

  /** youtube.com's public Atom feed of a channel's recent videos. No key, no quota. */
  #feed(ctx: Ctx): void {
    const failure = this.#failureFor('feeds.videos');
    const text = (status: number, body: string): void => {
      this.#head(ctx.res, status, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
      ctx.res.end(body);
    };
    if (failure !== undefined) {
      failure.remaining--;
      if (failure.remaining <= 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
      ctx.rec.reason = failure.reason;
      return text(googleError(failure.reason).code, `<!DOCTYPE html><title>Error ${googleError(failure.reason).code}</title>`);
    }
    const channelId = ctx.url.searchParams.get('channel_id');
    if (channelId === null || channelId.length === 0) return text(400, '<!DOCTYPE html><title>Error 400 (Bad Request)!!1</title>');
    const channel = this.#channels.get(channelId);
    if (channel === undefined) return this.#notFound(ctx.res, ctx.url.pathname);
    const xml = renderFeed(channel, channel.videos.map((id) => this.#videos.get(id)!), this.#now());
    this.#head(ctx.res, 200, { 'content-type': 'text/xml; charset=UTF-8', 'content-length': Buffer.byteLength(xml) });
    ctx.res.end(xml);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
