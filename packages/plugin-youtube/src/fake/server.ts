/**
 * A local YouTube Data API v3 server for tests and the demo. It answers the
 * requests the plugin makes (videos, liveBroadcasts, search, liveChatMessages
 * list / streamList / insert, the OAuth token endpoint, the public channel
 * feed) with bodies shaped like the captured ones in the repository's fixtures/youtube,
 * charges the real quota costs, and speaks Google's error envelopes, so an
 * unmodified `@googleapis/youtube` client works against it.
 *
 * This module is the shell: the HTTP server, routing, authentication and
 * quota in front of the endpoints, and the controls tests call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveChatItem } from '../types.js';
import { type AccountState, FakeAuth } from './auth.js';
import { LiveChatEndpoints } from './chat-endpoints.js';
import { ModerationEndpoints } from './moderation.js';
import { DEFAULT_COSTS, routeOf } from './endpoints.js';
import { customError, googleError, UNCHARGED } from './errors.js';
import { type Failure, FailureQueue } from './failures.js';
import { serveMalformed } from './malformed.js';
import { serveFeed } from './feed.js';
import { QuotaLedger } from './quota.js';
import { type Exchange, recordResponse, sendError, sendJson, sendNotFound } from './reply.js';
import { RequestLog } from './request-log.js';
import { serveToken } from './token-endpoint.js';
import type {
  BanOptions,
  FailNextOptions,
  FakeAuthor,
  FakeBroadcast,
  FakeCredentials,
  FakeEndpoint,
  FakeErrorReason,
  FakeInsertedMessage,
  FakeMalformedBody,
  FakeModerationCall,
  FakeRequestRecord,
  FakeYouTubeApi,
  GoLiveOptions,
  SayOptions,
  ScheduleOptions,
  StartFakeYouTubeApiOptions,
  SuperChatOptions,
} from './types.js';
import { serveBroadcastsList, serveSearchList, serveVideosList } from './video-endpoints.js';
import { FakeWorld } from './world.js';
import { listenLocal } from '@streamsuites/kernel/testing';

export async function startFakeYouTubeApi(options: StartFakeYouTubeApiOptions = {}): Promise<FakeYouTubeApi> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await listenLocal(server, { port: options.port ?? 0, host });
  return new FakeYouTube(server, host, options);
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
  readonly #costs: Record<FakeEndpoint, number>;
  readonly #quota: QuotaLedger;
  #streamSupported: boolean;
  /** One counter for generated video ids and access tokens. */
  #serial = 0;
  readonly #auth: FakeAuth;
  readonly #world: FakeWorld;
  readonly #chat: LiveChatEndpoints;
  readonly #moderation: ModerationEndpoints;
  readonly #failures = new FailureQueue();
  readonly #malformed = new FailureQueue<FakeMalformedBody>();
  readonly #log = new RequestLog();
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
    const nextSerial = (): number => ++this.#serial;
    this.#auth = new FakeAuth(options, this.#now, nextSerial);
    this.credentials = this.#auth.credentials;
    this.#world = new FakeWorld(this.#now, nextSerial);
    this.#chat = new LiveChatEndpoints(this.#world, options, this.#now);
    this.#moderation = new ModerationEndpoints(this.#world, this.#now);
    this.#streamSupported = options.streamSupported ?? true;
    this.#costs = { ...DEFAULT_COSTS, ...options.costs };
    this.#quota = new QuotaLedger(options.dailyLimit ?? 10_000, options.quotaTimeZone === undefined ? 'America/Los_Angeles' : options.quotaTimeZone, this.#now, options.quotaOverLimit ?? 'refuse');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: customError(500, 'internalError', String(err)) });
        else res.destroy();
      });
    });
  }

  // ================================================================ controls

  goLive(o: GoLiveOptions): FakeBroadcast {
    return this.#world.goLive(o);
  }

  schedule(o: ScheduleOptions): FakeBroadcast {
    return this.#world.schedule(o);
  }

  endStream(videoId?: string): FakeBroadcast {
    return this.#world.endStream(videoId);
  }

  addVideo(o: { channelId: string; videoId?: string; title?: string; channelTitle?: string }): string {
    return this.#world.addVideo(o);
  }

  setViewers(videoId: string, concurrentViewers: number): void {
    this.#world.setViewers(videoId, concurrentViewers);
  }

  broadcasts(): FakeBroadcast[] {
    return this.#world.broadcasts();
  }

  say(o: SayOptions): string {
    return this.#world.say(o);
  }

  superChat(o: SuperChatOptions): string {
    return this.#world.superChat(o);
  }

  deleteMessage(messageId: string, o: { by?: FakeAuthor | string; liveChatId?: string } = {}): string {
    return this.#world.deleteMessage(messageId, o);
  }

  ban(o: BanOptions): string {
    return this.#world.ban(o);
  }

  push(item: LiveChatItem, o: { liveChatId?: string } = {}): string {
    return this.#world.push(item, o);
  }

  chatItems(liveChatId?: string): LiveChatItem[] {
    return this.#world.chatItems(liveChatId);
  }

  failNext(reason: FakeErrorReason, o: FailNextOptions = {}): void {
    this.#failures.add(reason, o);
  }

  malformNext(body: FakeMalformedBody, o: FailNextOptions = {}): void {
    this.#malformed.add(body, o);
  }

  setDailyLimit(units: number): void {
    this.#quota.limit = units;
  }

  resetQuota(): void {
    this.#quota.reset();
  }

  setPollingInterval(ms: number): void {
    this.#chat.pollingInterval = ms;
  }

  setStreamSupported(supported: boolean): void {
    this.#streamSupported = supported;
  }

  issueAccessToken(channelId?: string): string {
    return this.#auth.issueFor(channelId);
  }

  expirePageTokens(liveChatId?: string): void {
    this.#world.expirePageTokens(liveChatId);
  }

  expireAccessTokens(): void {
    this.#auth.expireAccessTokens();
  }

  revokeRefreshToken(refreshToken: string): void {
    this.#auth.revoke(refreshToken);
  }

  closeStreams(o: { abort?: boolean } = {}): void {
    this.#chat.closeStreams(o);
  }

  unitsUsed(): number {
    return this.#quota.used();
  }

  overLimitCalls(): number {
    return this.#quota.overLimitCalls();
  }

  overLimitUnits(): number {
    return this.#quota.overLimitUnits();
  }

  calls(): Record<FakeEndpoint, number> {
    return this.#log.calls();
  }

  requests(): FakeRequestRecord[] {
    return this.#log.requests();
  }

  inserted(): FakeInsertedMessage[] {
    return this.#chat.inserted.map((m) => ({ ...m }));
  }

  moderationCalls(): FakeModerationCall[] {
    return this.#moderation.calls.map((c) => ({ ...c }));
  }

  addModerator(channelId: string): void {
    this.#moderation.moderators.add(channelId);
  }

  openStreams(): number {
    return this.#chat.streams.size;
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

  // ================================================================ HTTP

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const query: Record<string, string> = {};
    for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name).join(',');
    const endpoint = routeOf(method, url.pathname);
    const rec: FakeRequestRecord = { endpoint, method, path: url.pathname, query, status: 0, units: 0, at: this.#now() };
    this.#log.add(rec);
    recordResponse(res, rec);
    if (endpoint === null) return sendNotFound(res, url.pathname);
    const ex: Exchange = { req, res, url, endpoint, rec, streaming: endpoint === 'liveChatMessages.streamList' };
    if (endpoint === 'oauth.token') return serveToken(ex, this.#auth, this.#failures);
    if (endpoint === 'feeds.videos') return serveFeed(ex, this.#world, this.#failures, this.#now);
    if (ex.streaming && !this.#streamSupported) return sendNotFound(res, url.pathname);

    const auth = this.#auth.authenticate(ex);
    if (!auth.ok) return sendError(ex, auth.error);
    const failure = this.#failures.find(endpoint);
    if (failure !== undefined && UNCHARGED.has(failure.reason)) return this.#fail(ex, failure);
    const cost = this.#costs[endpoint];
    if (cost > 0) {
      if (this.#quota.wouldExceed(cost)) return sendError(ex, googleError('quotaExceeded'));
      if (this.#quota.charge(cost)) rec.overLimit = true;
      rec.units = cost;
    }
    if (failure !== undefined) return this.#fail(ex, failure);
    const malformed = this.#malformed.find(endpoint);
    if (malformed !== undefined) this.#malformed.use(malformed);
    if (malformed !== undefined && endpoint === 'liveChatMessages.streamList') return this.#chat.stream(ex, malformed.reason);
    if (malformed !== undefined) return serveMalformed(ex, malformed.reason, (inner) => this.#serve(inner, auth.account));
    return this.#serve(ex, auth.account);
  }

  #serve(ex: Exchange, account: AccountState | undefined): void | Promise<void> {
    switch (ex.endpoint) {
      case 'videos.list':
        return serveVideosList(ex, this.#world);
      case 'liveBroadcasts.list':
        return serveBroadcastsList(ex, this.#world, account!);
      case 'search.list':
        return serveSearchList(ex, this.#world);
      case 'liveChatMessages.list':
        return this.#chat.list(ex);
      case 'liveChatMessages.streamList':
        return this.#chat.stream(ex);
      case 'liveChatMessages.insert':
        return this.#chat.insert(ex, account!);
      case 'liveChatMessages.delete':
        return this.#moderation.delete(ex, account!);
      case 'liveChatBans.insert':
        return this.#moderation.ban(ex, account!);
    }
  }

  #fail(ex: Exchange, f: Failure): void {
    this.#failures.use(f);
    sendError(ex, googleError(f.reason));
  }
}
