/**
 * The fake YouTube Data API driven by the real @googleapis/youtube client (and
 * raw fetch for the streaming endpoint): bodies, paging, errors, quota, OAuth,
 * the feed.
 */
import { readFileSync } from 'node:fs';
import { auth, youtube, type youtube_v3 } from '@googleapis/youtube';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeItem, parseRfc3339 } from '../src/normalize/index.js';
import { DEFAULT_COSTS, FAKE_BOT_ACCOUNT, type FakeYouTubeApi, startFakeYouTubeApi, type StartFakeYouTubeApiOptions } from '../src/testing.js';
import type { LiveChatItem, LiveChatPage } from '../src/types.js';

const FIXTURES = new URL('../../../fixtures/youtube/', import.meta.url);
const fixture = <T = unknown>(file: string): T => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T;

interface Failure {
  status: number;
  reason: string | undefined;
  body: unknown;
}

/** Awaits a @googleapis/youtube call that must fail; returns the HTTP status, `errors[0].reason` and the body. */
async function failure(call: Promise<unknown>): Promise<Failure> {
  try {
    await call;
  } catch (err) {
    const response = (err as { response?: { status: number; data: unknown } }).response;
    if (response === undefined) throw err;
    const data = response.data as { error?: { errors?: { reason?: string }[] } | string };
    const reason = typeof data?.error === 'string' ? data.error : data?.error?.errors?.[0]?.reason;
    return { status: response.status, reason, body: data };
  }
  throw new Error('the call succeeded');
}

/**
 * Reads a streamed JSON array (`[` doc `,` doc ... `]`) from a fetch body as
 * it arrives: `next()` resolves with each complete top-level element, or
 * `undefined` once the array is closed.
 */
class JsonArrayReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buf = '';
  #pos = 0;
  #opened = false;
  #closed = false;
  /** Everything received so far. */
  text = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async next(): Promise<unknown | undefined> {
    for (;;) {
      const doc = this.#scan();
      if (doc !== null) return doc.value;
      if (this.#closed) return undefined;
      const { value, done } = await this.#reader.read();
      if (done) throw new Error(`stream ended inside the array: ${this.text.slice(-200)}`);
      const chunk = this.#decoder.decode(value, { stream: true });
      this.text += chunk;
      this.#buf += chunk;
    }
  }

  /** Drains the body after the array closed; resolves with the trailing text. */
  async rest(): Promise<string> {
    let tail = this.#buf.slice(this.#pos);
    for (;;) {
      const { value, done } = await this.#reader.read();
      if (done) return tail;
      tail += this.#decoder.decode(value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }

  /** One complete element from the buffer, `{ value: undefined }` at `]`, or null when more bytes are needed. */
  #scan(): { value: unknown } | null {
    const s = this.#buf;
    let i = this.#pos;
    const skip = (): void => {
      while (i < s.length && /\s/.test(s[i]!)) i++;
    };
    skip();
    if (!this.#opened) {
      if (i >= s.length) return null;
      if (s[i] !== '[') throw new Error(`expected '[', got ${s.slice(i, i + 20)}`);
      this.#opened = true;
      i++;
      this.#pos = i;
      skip();
    }
    if (i >= s.length || this.#closed) return null;
    if (s[i] === ',') {
      i++;
      skip();
      if (i >= s.length) return null;
    }
    if (s[i] === ']') {
      this.#closed = true;
      this.#pos = i + 1;
      return { value: undefined };
    }
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < s.length; i++) {
      const c = s[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          this.#pos = i + 1;
          return { value: JSON.parse(s.slice(start, i + 1)) };
        }
      }
    }
    return null;
  }
}

// ------------------------------------------------------------------ setup

const T0 = Date.UTC(2024, 4, 1, 18, 0, 0); // 11:00 in Los Angeles
const CHANNEL = 'UCcreatorChannel00000001';
let clock = T0;
let fake: FakeYouTubeApi;
let yt: youtube_v3.Youtube;

async function start(options: StartFakeYouTubeApiOptions = {}): Promise<void> {
  await fake?.close();
  fake = await startFakeYouTubeApi({ now: () => clock, ...options });
  yt = youtube({ version: 'v3', rootUrl: fake.url, auth: fake.credentials.apiKey, retry: false });
}

/** A client acting as the bot account through the OAuth refresh flow. */
function oauthClient(options: { forceRefreshOnFailure?: boolean; clientSecret?: string; refreshToken?: string } = {}) {
  const client = new auth.OAuth2({
    clientId: fake.credentials.clientId,
    clientSecret: options.clientSecret ?? fake.credentials.clientSecret,
    endpoints: { oauth2TokenUrl: fake.tokenUrl },
    forceRefreshOnFailure: options.forceRefreshOnFailure ?? false,
  });
  client.setCredentials({ refresh_token: options.refreshToken ?? fake.credentials.refreshToken });
  return { client, api: youtube({ version: 'v3', rootUrl: fake.url, auth: client, retry: false }) };
}

const CHAT_PARTS = ['id', 'snippet', 'authorDetails'];
const list = (liveChatId: string, pageToken?: string, extra: Partial<youtube_v3.Params$Resource$Livechatmessages$List> = {}) =>
  yt.liveChatMessages.list({ liveChatId, part: CHAT_PARTS, ...(pageToken === undefined ? {} : { pageToken }), ...extra }).then((r) => r.data);
const texts = (page: LiveChatPage): string[] => (page.items ?? []).map((i) => i.snippet?.displayMessage ?? `<${i.snippet?.type}>`);
const keys = (o: object | undefined): string[] => Object.keys(o ?? {}).sort();

beforeEach(async () => {
  clock = T0;
  await start();
});
afterEach(async () => {
  await fake.close();
});

// ------------------------------------------------------------------ tests

describe('server', () => {
  it('listens on loopback with a free port; rootUrl, token and feed URLs', () => {
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}/`);
    expect(fake.tokenUrl).toBe(`http://127.0.0.1:${fake.port}/token`);
    expect(fake.feedUrl).toBe(`http://127.0.0.1:${fake.port}/feeds/videos.xml`);
    expect(fake.credentials.channelId).toBe(FAKE_BOT_ACCOUNT.channelId);
    expect(fake.credentials.channelId).toMatch(/^UC[\w-]{22}$/);
  });

  it('unknown paths get Google’s HTML 404 and are recorded', async () => {
    const res = await fetch(`${fake.url}youtube/v3/nothing?key=${fake.credentials.apiKey}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Error 404 (Not Found)!!1');
    expect(fake.requests()).toMatchObject([{ endpoint: null, path: '/youtube/v3/nothing', status: 404, units: 0 }]);
  });

  it('close() is idempotent and ends open streams', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const res = await fetch(`${fake.url}youtube/v3/liveChat/messages/stream?liveChatId=${b.liveChatId}&part=snippet&key=${fake.credentials.apiKey}`);
    const reader = new JsonArrayReader(res.body!);
    await reader.next();
    await Promise.all([fake.close(), fake.close()]);
    expect(await reader.next()).toBeUndefined();
    expect(fake.openStreams()).toBe(0);
  });
});

describe('API keys and auth', () => {
  it('an unknown key is 400 keyInvalid; no key and no token is 403', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const bad = youtube({ version: 'v3', rootUrl: fake.url, auth: 'AIzaSy-not-a-key', retry: false });
    const f = await failure(bad.videos.list({ part: ['id'], id: [b.videoId] }));
    expect(f).toMatchObject({ status: 400, reason: 'keyInvalid' });
    expect((f.body as { error: { message: string } }).error.message).toBe('API key not valid. Please pass a valid API key.');
    const none = youtube({ version: 'v3', rootUrl: fake.url, retry: false });
    expect(await failure(none.videos.list({ part: ['id'], id: [b.videoId] }))).toMatchObject({ status: 403, reason: 'forbidden' });
    expect(fake.unitsUsed()).toBe(0);
    expect(fake.calls()['videos.list']).toBe(2);
  });

  it('apiKeys: null accepts any key; a Bearer token alone is enough for public endpoints', async () => {
    await start({ apiKeys: null });
    const b = fake.goLive({ channelId: CHANNEL });
    const any = youtube({ version: 'v3', rootUrl: fake.url, auth: 'whatever', retry: false });
    expect((await any.videos.list({ part: ['id'], id: [b.videoId] })).data.items).toHaveLength(1);
    const token = fake.issueAccessToken();
    const res = await fetch(`${fake.url}youtube/v3/videos?part=id&id=${b.videoId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});

describe('videos.list', () => {
  it('live, upcoming, ended and unknown videos, shaped like the captured responses (1 unit)', async () => {
    const upcoming = fake.schedule({ channelId: CHANNEL, title: 'Later', scheduledStartTime: T0 + 3_600_000 });
    const live = fake.schedule({ channelId: CHANNEL, title: 'Now', scheduledStartTime: T0 + 60_000 });
    clock += 30_000;
    fake.goLive({ channelId: CHANNEL, videoId: live.videoId, concurrentViewers: 37036 });
    const res = await yt.videos.list({ part: ['snippet', 'liveStreamingDetails'], id: [live.videoId, upcoming.videoId, 'nope'] });
    expect(res.status).toBe(200);
    const body = res.data;
    const captured = fixture<youtube_v3.Schema$VideoListResponse>('videos.list.liveStreamingDetails.live-2022.json');
    expect(keys(body)).toEqual(keys(captured));
    expect(body.kind).toBe('youtube#videoListResponse');
    expect(body.pageInfo).toEqual({ totalResults: 2, resultsPerPage: 2 });
    const [l, u] = body.items!;
    expect(keys(l!.liveStreamingDetails)).toEqual(keys(captured.items![0]!.liveStreamingDetails));
    expect(l!.liveStreamingDetails).toEqual({
      actualStartTime: '2024-05-01T18:00:30Z',
      scheduledStartTime: '2024-05-01T18:01:00Z',
      concurrentViewers: '37036',
      activeLiveChatId: live.liveChatId,
    });
    expect(l!.snippet).toMatchObject({ channelId: CHANNEL, title: 'Now', liveBroadcastContent: 'live' });
    expect(l!.etag).toMatch(/^[\w-]{27}$/);
    const upcomingShape = fixture<youtube_v3.Schema$VideoListResponse>('videos.list.liveStreamingDetails.upcoming-2018.json');
    expect(keys(u!.liveStreamingDetails)).toEqual(keys(upcomingShape.items![0]!.liveStreamingDetails));
    expect(u!.snippet?.liveBroadcastContent).toBe('upcoming');

    clock += 60_000;
    fake.endStream(live.videoId);
    const ended = (await yt.videos.list({ part: ['liveStreamingDetails'], id: [live.videoId] })).data.items![0]!;
    expect(ended.snippet).toBeUndefined();
    expect(ended.liveStreamingDetails).toEqual({
      actualStartTime: '2024-05-01T18:00:30Z',
      actualEndTime: '2024-05-01T18:01:30Z',
      scheduledStartTime: '2024-05-01T18:01:00Z',
    });
    expect(fake.unitsUsed()).toBe(2);
    expect(fake.calls()['videos.list']).toBe(2);
  });

  it('plain uploads have no liveStreamingDetails; part is required and checked', async () => {
    const id = fake.addVideo({ channelId: CHANNEL, title: 'An upload' });
    const v = (await yt.videos.list({ part: ['snippet', 'liveStreamingDetails'], id: [id] })).data.items![0]!;
    expect(v.liveStreamingDetails).toBeUndefined();
    expect(v.snippet?.liveBroadcastContent).toBe('none');
    expect(await failure(yt.videos.list({ part: ['bogus'], id: [id] }))).toMatchObject({ status: 400, reason: 'unknownPart' });
    const res = await fetch(`${fake.url}youtube/v3/videos?id=${id}&key=${fake.credentials.apiKey}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]!.reason).toBe('required');
  });
});

describe('liveBroadcasts.list', () => {
  it('needs an OAuth token: API key only → 401 required, a bad token → 401 authError', async () => {
    expect(await failure(yt.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' }))).toMatchObject({ status: 401, reason: 'required' });
    const res = await fetch(`${fake.url}youtube/v3/liveBroadcasts?part=id&mine=true`, { headers: { authorization: 'Bearer ya29.nope' } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { status: string; errors: { reason: string; location: string }[] } };
    expect(body.error.status).toBe('UNAUTHENTICATED');
    expect(body.error.errors[0]).toMatchObject({ reason: 'authError', location: 'Authorization' });
    expect(fake.unitsUsed()).toBe(0);
  });

  it('broadcastStatus=active and mine=true list the token owner’s broadcasts only (1 unit each)', async () => {
    const bot = fake.credentials.channelId;
    const old = fake.goLive({ channelId: bot, title: 'Yesterday' });
    fake.endStream(old.videoId);
    clock += 1000;
    const live = fake.goLive({ channelId: bot, title: 'Today' });
    fake.goLive({ channelId: CHANNEL, title: 'Someone else' });
    const { api } = oauthClient();

    const active = (await api.liveBroadcasts.list({ part: ['id', 'snippet', 'status'], broadcastStatus: 'active', broadcastType: 'all', maxResults: 5 })).data;
    const captured = fixture<youtube_v3.Schema$LiveBroadcastListResponse>('liveBroadcasts.list.wondible-2018.json');
    expect(keys(active)).toEqual(keys(captured));
    expect(active.items!.map((b) => b.id)).toEqual([live.videoId]);
    const snippet = active.items![0]!.snippet!;
    expect(keys(snippet)).toEqual(keys(captured.items![0]!.snippet));
    expect(snippet).toMatchObject({ channelId: bot, title: 'Today', liveChatId: live.liveChatId, actualStartTime: '2024-05-01T18:00:01Z' });
    expect(active.items![0]!.status).toMatchObject({ lifeCycleStatus: 'live', privacyStatus: 'public' });

    const mine = (await api.liveBroadcasts.list({ part: ['snippet'], mine: true })).data;
    expect(mine.items!.map((b) => b.id)).toEqual([live.videoId, old.videoId]);
    expect(mine.items![1]!.snippet!.liveChatId).toBeUndefined();
    expect(mine.items![1]!.snippet!.actualEndTime).toBe('2024-05-01T18:00:00Z');

    expect(await failure(api.liveBroadcasts.list({ part: ['id'], mine: true, broadcastStatus: 'active' }))).toMatchObject({
      status: 400,
      reason: 'incompatibleParameters',
    });
    expect(fake.unitsUsed()).toBe(3);
    expect(fake.calls()).toMatchObject({ 'liveBroadcasts.list': 3, 'oauth.token': 1 });
  });
});

describe('search.list', () => {
  it('finds a channel’s live video for 100 units', async () => {
    fake.addVideo({ channelId: CHANNEL, title: 'Old upload' });
    const live = fake.goLive({ channelId: CHANNEL, title: 'Live!', channelTitle: 'Creator' });
    fake.goLive({ channelId: 'UCsomeoneElse00000000001' });
    const res = (await yt.search.list({ part: ['snippet'], channelId: CHANNEL, eventType: 'live', type: ['video'], maxResults: 5 })).data;
    expect(res.kind).toBe('youtube#searchListResponse');
    expect(res.pageInfo).toEqual({ totalResults: 1, resultsPerPage: 5 });
    expect(res.items).toHaveLength(1);
    expect(res.items![0]).toMatchObject({
      kind: 'youtube#searchResult',
      id: { kind: 'youtube#video', videoId: live.videoId },
      snippet: { channelId: CHANNEL, title: 'Live!', channelTitle: 'Creator', liveBroadcastContent: 'live' },
    });
    expect(fake.unitsUsed()).toBe(100);
  });

  it('eventType without type=video is 400 invalidSearchFilter (still charged)', async () => {
    expect(await failure(yt.search.list({ part: ['snippet'], channelId: CHANNEL, eventType: 'live' }))).toMatchObject({
      status: 400,
      reason: 'invalidSearchFilter',
    });
    expect(fake.unitsUsed()).toBe(100);
  });
});

describe('liveChatMessages.list', () => {
  it('first call returns the recent backlog, then only new items; no item twice', async () => {
    await start({ backlogSize: 3 });
    const b = fake.goLive({ channelId: CHANNEL });
    for (let i = 1; i <= 5; i++) fake.say({ author: 'alice', text: `m${i}` });
    const first = await list(b.liveChatId);
    expect(texts(first)).toEqual(['m3', 'm4', 'm5']);
    expect(first.pollingIntervalMillis).toBe(2000);
    expect(first.pageInfo).toEqual({ totalResults: 5, resultsPerPage: 3 });
    expect(first.offlineAt).toBeUndefined();

    const empty = await list(b.liveChatId, first.nextPageToken!);
    expect(empty.items).toEqual([]);
    expect(empty.nextPageToken).toBe(first.nextPageToken);

    fake.say({ author: 'bob', text: 'm6' });
    fake.superChat({ author: 'carol', amountMicros: 5_000_000, comment: 'gg' });
    fake.setPollingInterval(7500);
    const next = await list(b.liveChatId, empty.nextPageToken!);
    expect(texts(next)).toEqual(['m6', '$5.00 from carol: "gg"']);
    expect(next.pollingIntervalMillis).toBe(7500);
    const again = await list(b.liveChatId, next.nextPageToken!);
    expect(again.items).toEqual([]);

    const ids = [...first.items!, ...next.items!].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fake.unitsUsed()).toBe(4 * 5);
    expect(fake.calls()['liveChatMessages.list']).toBe(4);
  });

  it('maxResults pages through a long chat; a token is bound to its chat', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const other = fake.goLive({ channelId: 'UCother00000000000000001' });
    for (let i = 1; i <= 7; i++) fake.say({ author: 'alice', text: `m${i}`, liveChatId: b.liveChatId });
    const seen: string[] = [];
    let token: string | undefined;
    for (let n = 0; n < 4; n++) {
      const page = await list(b.liveChatId, token, { maxResults: 3 });
      seen.push(...texts(page));
      token = page.nextPageToken!;
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(await failure(list(other.liveChatId, token))).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(await failure(list(b.liveChatId, 'garbage!'))).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(await failure(list(b.liveChatId, undefined, { maxResults: 5000 }))).toMatchObject({ status: 400, reason: 'invalidValue' });
  });

  it('bodies are shaped like the captured page; part filters the item parts', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: { displayName: 'Mod', isChatModerator: true, isVerified: true }, text: 'hello' });
    const page = await list(b.liveChatId);
    const captured = fixture<LiveChatPage>('liveChatMessages.list.text.scrubbed-2023.json');
    expect(keys(page)).toEqual(keys(captured));
    const item = page.items![0]!;
    expect(keys(item)).toEqual(keys(captured.items![0]));
    expect(keys(item.snippet)).toEqual(keys(captured.items![0]!.snippet));
    expect(keys(item.authorDetails)).toEqual(keys(captured.items![0]!.authorDetails));
    expect(item.id).toMatch(/^LCC\.[\w-]+$/);
    expect(item.snippet!.publishedAt).toBe('2024-05-01T18:00:00.000000+00:00');
    expect(item.authorDetails).toMatchObject({ displayName: 'Mod', isChatModerator: true, isVerified: true, isChatOwner: false });

    const snippetOnly = (await yt.liveChatMessages.list({ liveChatId: b.liveChatId, part: ['snippet'] })).data;
    expect(snippetOnly.items![0]!.authorDetails).toBeUndefined();
    expect(snippetOnly.items![0]!.snippet!.authorChannelId).toBe(item.authorDetails!.channelId);
  });

  it('after endStream: chatEndedEvent and offlineAt, then liveChatEnded', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'bye' });
    const first = await list(b.liveChatId);
    clock += 5000;
    fake.endStream();
    const last = await list(b.liveChatId, first.nextPageToken!);
    expect(last.items!.map((i) => i.snippet!.type)).toEqual(['chatEndedEvent']);
    expect(last.offlineAt).toBe('2024-05-01T18:00:05Z');
    expect(last.items![0]!.authorDetails!.isChatOwner).toBe(true);
    expect(await failure(list(b.liveChatId, last.nextPageToken!))).toMatchObject({ status: 403, reason: 'liveChatEnded' });
    expect(await failure(list(b.liveChatId))).toMatchObject({ status: 403, reason: 'liveChatEnded' });
    expect(await failure(list('no-such-chat'))).toMatchObject({ status: 404, reason: 'liveChatNotFound' });
  });

  it('enforcePollingInterval answers rateLimitExceeded to an early poll (driven by the fake clock)', async () => {
    await start({ enforcePollingInterval: true, pollingIntervalMs: 3000 });
    const b = fake.goLive({ channelId: CHANNEL });
    const first = await list(b.liveChatId);
    clock += 2999;
    expect(await failure(list(b.liveChatId, first.nextPageToken!))).toMatchObject({ status: 403, reason: 'rateLimitExceeded' });
    clock += 1;
    expect((await list(b.liveChatId, first.nextPageToken!)).items).toEqual([]);
  });

  it('a token the API no longer accepts is 400 invalidPageToken: expirePageTokens, pageTokenTtlMs, a position the chat does not have', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'm1' });
    const first = await list(b.liveChatId);
    fake.expirePageTokens(b.liveChatId);
    const expired = await failure(list(b.liveChatId, first.nextPageToken!));
    expect(expired).toMatchObject({ status: 400, reason: 'invalidPageToken' });
    expect(expired.body).toEqual({
      error: {
        code: 400,
        message: 'The request specifies an invalid page token.',
        errors: [{ message: 'The request specifies an invalid page token.', domain: 'youtube.parameter', reason: 'invalidPageToken', location: 'pageToken', locationType: 'parameter' }],
      },
    });
    // Without a token the chat starts over (the backlog); its new token works.
    const again = await list(b.liveChatId);
    expect(texts(again)).toEqual(['m1']);
    expect((await list(b.liveChatId, again.nextPageToken!)).items).toEqual([]);

    await start({ pageTokenTtlMs: 60_000 });
    const c = fake.goLive({ channelId: CHANNEL });
    const page = await list(c.liveChatId);
    clock += 60_000;
    expect((await list(c.liveChatId, page.nextPageToken!)).items).toEqual([]);
    clock += 1;
    expect(await failure(list(c.liveChatId, page.nextPageToken!))).toMatchObject({ status: 400, reason: 'invalidPageToken' });

    // A fresh server with the same chat id (a restarted demo) does not know the old position.
    fake.say({ author: 'alice', text: 'm1', liveChatId: c.liveChatId });
    const longer = await list(c.liveChatId);
    await start();
    const d = fake.goLive({ channelId: CHANNEL });
    expect(d.liveChatId).toBe(c.liveChatId);
    expect(await failure(list(d.liveChatId, longer.nextPageToken!))).toMatchObject({ status: 400, reason: 'invalidPageToken' });
  });

  it('message ids are unique across servers: the same chat id and position at another time is another id', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const one = fake.say({ author: 'alice', text: 'x' });
    clock += 20_000;
    await start();
    const again = fake.goLive({ channelId: CHANNEL });
    expect(again.liveChatId).toBe(b.liveChatId);
    expect(fake.say({ author: 'alice', text: 'x' })).not.toBe(one);
  });

  it('every item the fake produces normalizes to what the control said', async () => {
    const b = fake.goLive({ channelId: CHANNEL, channelTitle: 'Creator' });
    const said = fake.say({ author: { displayName: 'Alice', isChatSponsor: true }, text: 'hi 😀' });
    fake.superChat({ author: 'Bob', amountMicros: 2_000_000, currency: 'EUR', comment: 'test' });
    fake.deleteMessage(said);
    fake.ban({ target: 'Spammer', durationSec: 300 });
    fake.ban({ target: 'Troll' });
    fake.endStream();
    const ctx = { creatorId: 'c1', channel: CHANNEL, receivedAt: clock };
    const out = fake.chatItems(b.liveChatId).map((i) => normalizeItem(i, ctx));
    expect(out.map((o) => o.kind)).toEqual(['message', 'message', 'deleted', 'user-timeout', 'user-timeout', 'chat-ended']);
    expect(out[0]).toMatchObject({ message: { id: said, text: 'hi 😀', sentAt: T0, author: { displayName: 'Alice', roles: ['member'] } } });
    expect(out[1]).toMatchObject({ message: { text: 'test', monetary: { kind: 'superchat', amountMicros: 2_000_000, currency: 'EUR', display: '€2.00' } } });
    expect(out[2]).toMatchObject({ event: { messageId: said } });
    expect(out[3]).toMatchObject({ event: { action: 'timeout', durationSec: 300, login: 'Spammer' } });
    expect(out[4]).toMatchObject({ event: { action: 'ban', login: 'Troll' } });
    expect(fake.chatItems(b.liveChatId)[3]!.snippet!.userBannedDetails!.banDurationSeconds).toBe('300');
  });

  it('push() takes raw fixture items into the chat (ids kept, liveChatId set)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const constructed = fixture<LiveChatPage>('constructed-from-docs/liveChatMessages.list.event-types.constructed.json');
    for (const item of constructed.items!) fake.push(item);
    const superChat = fixture<LiveChatItem>('liveChatMessage.item.superChat.brianlough-2021.json');
    const generated = fake.push(superChat);
    expect(generated).toMatch(/^LCC\./);
    const page = await list(b.liveChatId);
    expect(page.items!.map((i) => i.id)).toEqual([...constructed.items!.map((i) => i.id), generated]);
    expect(page.items!.every((i) => i.snippet!.liveChatId === b.liveChatId)).toBe(true);
    expect(page.items![0]!.etag).toBe('CONSTRUCTED-etag-01');
    expect(page.items![9]!.snippet!.superChatDetails!.amountMicros).toBe('2000000');
  });
});

describe('liveChatMessages.insert', () => {
  it('posts as the bot (Bearer via the refresh flow), records it, and charges 50 units', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const { api } = oauthClient();
    const res = await api.liveChatMessages.insert({
      part: ['snippet', 'authorDetails'],
      requestBody: { snippet: { liveChatId: b.liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: 'hello chat' } } },
    });
    expect(res.data).toMatchObject({
      kind: 'youtube#liveChatMessage',
      snippet: { type: 'textMessageEvent', liveChatId: b.liveChatId, displayMessage: 'hello chat', authorChannelId: fake.credentials.channelId },
      authorDetails: { channelId: fake.credentials.channelId, displayName: 'StreamSuites Bot', isChatOwner: false },
    });
    expect(fake.inserted()).toEqual([{ id: res.data.id, liveChatId: b.liveChatId, text: 'hello chat', channelId: fake.credentials.channelId, at: T0 }]);
    expect(texts(await list(b.liveChatId))).toEqual(['hello chat']);
    expect(fake.unitsUsed()).toBe(55);
  });

  it('rejects: no token 401, empty or too long text 400, ended chat 403', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const body = (text: string, liveChatId = b.liveChatId) => ({
      part: ['snippet'],
      requestBody: { snippet: { liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: text } } },
    });
    expect(await failure(yt.liveChatMessages.insert(body('x')))).toMatchObject({ status: 401, reason: 'required' });
    const { api } = oauthClient();
    expect(await failure(api.liveChatMessages.insert(body('')))).toMatchObject({ status: 400, reason: 'invalidMessageText' });
    expect(await failure(api.liveChatMessages.insert(body('x'.repeat(201))))).toMatchObject({ status: 400, reason: 'invalidMessageText' });
    expect(await failure(api.liveChatMessages.insert(body('x', 'nope')))).toMatchObject({ status: 404, reason: 'liveChatNotFound' });
    fake.endStream();
    expect(await failure(api.liveChatMessages.insert(body('x')))).toMatchObject({ status: 403, reason: 'liveChatEnded' });
    expect(fake.inserted()).toEqual([]);
  });
});

describe('OAuth token endpoint', () => {
  it('refreshes: access_token, expires_in, token_type', async () => {
    const { client } = oauthClient();
    const { credentials } = await client.refreshAccessToken();
    expect(credentials.access_token).toMatch(/^ya29\./);
    expect(credentials.token_type).toBe('Bearer');
    expect(credentials.expiry_date).toBeGreaterThan(Date.now());
    const raw = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: fake.credentials.clientId, client_secret: fake.credentials.clientSecret, refresh_token: fake.credentials.refreshToken }),
    });
    expect(raw.status).toBe(200);
    expect(keys((await raw.json()) as object)).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(fake.unitsUsed()).toBe(0);
  });

  it('wrong secret → 401 invalid_client; unknown or revoked refresh token → 400 invalid_grant', async () => {
    expect(await failure(oauthClient({ clientSecret: 'wrong' }).client.refreshAccessToken())).toMatchObject({ status: 401, reason: 'invalid_client' });
    expect(await failure(oauthClient({ refreshToken: 'nope' }).client.refreshAccessToken())).toMatchObject({ status: 400, reason: 'invalid_grant' });
    fake.revokeRefreshToken(fake.credentials.refreshToken);
    const revoked = await failure(oauthClient().client.refreshAccessToken());
    expect(revoked).toMatchObject({ status: 400, reason: 'invalid_grant' });
    expect(revoked.body).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('an expired access token gets 401 authError; the client refreshes and retries', async () => {
    const b = fake.goLive({ channelId: fake.credentials.channelId });
    const { api } = oauthClient({ forceRefreshOnFailure: true });
    await api.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' });
    fake.expireAccessTokens();
    const res = await api.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' });
    expect(res.data.items!.map((i) => i.id)).toEqual([b.videoId]);
    expect(fake.calls()['oauth.token']).toBe(2);
    expect(fake.requests().filter((r) => r.endpoint === 'liveBroadcasts.list').map((r) => [r.status, r.reason ?? null])).toEqual([
      [200, null],
      [401, 'authError'],
      [200, null],
    ]);
    // The 401 cost nothing.
    expect(fake.unitsUsed()).toBe(2);
  });

  it('access tokens expire with the fake clock', async () => {
    await start({ accessTokenTtlSec: 60 });
    const token = fake.issueAccessToken();
    const call = () => fetch(`${fake.url}youtube/v3/liveBroadcasts?part=id&mine=true`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    clock += 60_000;
    expect((await call()).status).toBe(401);
  });
});

describe('errors', () => {
  const REASONS = [
    ['liveChatNotFound', 404],
    ['liveChatEnded', 403],
    ['liveChatDisabled', 403],
    ['forbidden', 403],
    ['rateLimitExceeded', 403],
    ['quotaExceeded', 403],
    ['dailyLimitExceeded', 403],
    ['backendError', 503],
    ['keyInvalid', 400],
    ['authError', 401],
  ] as const;

  it.each(REASONS)('failNext(%s) → %i with errors[0].reason, then recovers', async (reason, status) => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.failNext(reason);
    const f = await failure(list(b.liveChatId));
    expect(f).toMatchObject({ status, reason });
    const error = (f.body as { error: { code: number; message: string; errors: { message: string; domain: string }[] } }).error;
    expect(error.code).toBe(status);
    expect(error.errors[0]!.message.length).toBeGreaterThan(0);
    expect((await list(b.liveChatId)).items).toEqual([]);
  });

  it('envelopes match the captured and documented bodies exactly', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    for (const [reason, file] of [
      ['quotaExceeded', 'error.quotaExceeded.json'],
      ['liveChatEnded', 'constructed-from-docs/error.liveChatEnded.constructed.json'],
      ['liveChatNotFound', 'constructed-from-docs/error.liveChatNotFound.constructed.json'],
      ['rateLimitExceeded', 'constructed-from-docs/error.rateLimitExceeded.constructed.json'],
      ['forbidden', 'constructed-from-docs/error.forbidden.constructed.json'],
    ] as const) {
      fake.failNext(reason);
      const res = await fetch(`${fake.url}youtube/v3/liveChat/messages?liveChatId=${b.liveChatId}&part=snippet&key=${fake.credentials.apiKey}`);
      const text = await res.text();
      expect(JSON.parse(text), reason).toEqual(fixture(file));
      if (reason === 'quotaExceeded') expect(text).toContain('\\u003ca href=\\"/youtube/v3/getting-started#quota\\"\\u003equota\\u003c/a\\u003e.');
    }
  });

  it('count and endpoint scope the injected failures', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.failNext('backendError', { count: 2, endpoint: 'videos.list' });
    expect((await list(b.liveChatId)).items).toEqual([]);
    expect(await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }))).toMatchObject({ status: 503, reason: 'backendError' });
    expect(await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }))).toMatchObject({ status: 503, reason: 'backendError' });
    expect((await yt.videos.list({ part: ['id'], id: [b.videoId] })).data.items).toHaveLength(1);
    // Failures after authentication are charged like any request; quota and auth refusals are not.
    expect(fake.unitsUsed()).toBe(5 + 3);
    fake.failNext('quotaExceeded');
    fake.failNext('authError');
    await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }));
    await failure(yt.videos.list({ part: ['id'], id: [b.videoId] }));
    expect(fake.unitsUsed()).toBe(8);
    expect(fake.calls()['videos.list']).toBe(5);
  });

  it('a failure for the feed or the token endpoint must name it', async () => {
    fake.addVideo({ channelId: CHANNEL });
    fake.failNext('backendError', { endpoint: 'feeds.videos' });
    expect((await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`)).status).toBe(503);
    expect((await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`)).status).toBe(200);
    fake.failNext('backendError', { endpoint: 'oauth.token' });
    const refresh = () =>
      fetch(fake.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: fake.credentials.clientId, client_secret: fake.credentials.clientSecret, refresh_token: fake.credentials.refreshToken }),
      });
    const failed = await refresh();
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: 'internal_failure' });
    expect((await refresh()).status).toBe(200);
    // Nothing scoped to them: Data API failures never hit the feed or the token endpoint.
    fake.failNext('backendError');
    expect((await refresh()).status).toBe(200);
    expect((await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`)).status).toBe(200);
  });
});

describe('quota', () => {
  it('charges exactly the real costs', async () => {
    const b = fake.goLive({ channelId: fake.credentials.channelId });
    const { api } = oauthClient();
    const steps: [string, () => Promise<unknown>, number][] = [
      ['videos.list', () => yt.videos.list({ part: ['liveStreamingDetails'], id: [b.videoId] }), 1],
      ['liveBroadcasts.list', () => api.liveBroadcasts.list({ part: ['id'], broadcastStatus: 'active' }), 1],
      ['search.list', () => yt.search.list({ part: ['snippet'], channelId: CHANNEL, eventType: 'live', type: ['video'] }), 100],
      ['liveChatMessages.list', () => list(b.liveChatId), 5],
      [
        'liveChatMessages.insert',
        () =>
          api.liveChatMessages.insert({
            part: ['snippet'],
            requestBody: { snippet: { liveChatId: b.liveChatId, type: 'textMessageEvent', textMessageDetails: { messageText: 'hi' } } },
          }),
        50,
      ],
    ];
    let total = 0;
    for (const [name, call, cost] of steps) {
      await call();
      total += cost;
      expect(fake.unitsUsed(), name).toBe(total);
      expect(DEFAULT_COSTS[name as keyof typeof DEFAULT_COSTS]).toBe(cost);
    }
    expect(fake.requests().filter((r) => r.endpoint !== 'oauth.token').map((r) => r.units)).toEqual([1, 1, 100, 5, 50]);
  });

  it('setDailyLimit: quotaExceeded once the next call would go over; nothing charged for it; resetQuota', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.setDailyLimit(11);
    await list(b.liveChatId);
    await list(b.liveChatId);
    const f = await failure(list(b.liveChatId));
    expect(f.body).toEqual(fixture('error.quotaExceeded.json'));
    expect(f.status).toBe(403);
    expect(fake.unitsUsed()).toBe(10);
    await yt.videos.list({ part: ['id'], id: [b.videoId] }); // 1 unit still fits
    expect(fake.unitsUsed()).toBe(11);
    fake.resetQuota();
    expect(fake.unitsUsed()).toBe(0);
    await list(b.liveChatId);
    expect(fake.unitsUsed()).toBe(5);
  });

  it('the quota day ends at midnight Pacific time (fake clock)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.setDailyLimit(5);
    await list(b.liveChatId);
    expect((await failure(list(b.liveChatId))).reason).toBe('quotaExceeded');
    clock = Date.UTC(2024, 4, 2, 6, 59, 59); // 23:59:59 PDT
    expect((await failure(list(b.liveChatId))).reason).toBe('quotaExceeded');
    clock = Date.UTC(2024, 4, 2, 7, 0, 0); // midnight PDT
    expect(fake.unitsUsed()).toBe(0);
    await list(b.liveChatId);
    expect(fake.unitsUsed()).toBe(5);
  });

  it('costs are configurable', async () => {
    await start({ costs: { 'liveChatMessages.streamList': 1 } });
    const b = fake.goLive({ channelId: CHANNEL });
    const res = await fetch(`${fake.url}youtube/v3/liveChat/messages/stream?liveChatId=${b.liveChatId}&part=snippet&key=${fake.credentials.apiKey}`);
    const reader = new JsonArrayReader(res.body!);
    await reader.next();
    expect(fake.unitsUsed()).toBe(1);
    await reader.cancel();
  });
});

describe('liveChatMessages.streamList', () => {
  const streamUrl = (liveChatId: string, extra = '') =>
    `${fake.url}youtube/v3/liveChat/messages/stream?liveChatId=${encodeURIComponent(liveChatId)}&part=id&part=snippet&part=authorDetails&key=${fake.credentials.apiKey}${extra}`;

  it('streams a JSON array incrementally: backlog, each new batch, then ] when the chat ends', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'before' });
    const res = await fetch(streamUrl(b.liveChatId));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const reader = new JsonArrayReader(res.body!);

    const first = (await reader.next()) as LiveChatPage;
    expect(first.kind).toBe('youtube#liveChatMessageListResponse');
    expect(texts(first)).toEqual(['before']);
    expect(first.nextPageToken).toBeTruthy();
    expect(fake.openStreams()).toBe(1);
    expect(reader.text.trimStart().startsWith('[')).toBe(true);
    expect(reader.closed).toBe(false);

    // Nothing more has been sent until chat arrives.
    fake.say({ author: 'bob', text: 'one' });
    const second = (await reader.next()) as LiveChatPage;
    expect(texts(second)).toEqual(['one']);
    fake.say({ author: 'bob', text: 'two' });
    fake.superChat({ author: 'carol', amountMicros: 1_000_000 });
    const third = (await reader.next()) as LiveChatPage;
    const fourth = (await reader.next()) as LiveChatPage;
    expect([...texts(third), ...texts(fourth)]).toEqual(['two', '$1.00 from carol']);

    fake.endStream();
    const last = (await reader.next()) as LiveChatPage;
    expect(last.items!.map((i) => i.snippet!.type)).toEqual(['chatEndedEvent']);
    expect(last.offlineAt).toBe('2024-05-01T18:00:00Z');
    expect(await reader.next()).toBeUndefined();
    expect((await reader.rest()).trim()).toBe('');
    // The whole body is one JSON array of the documents we read.
    expect(JSON.parse(reader.text)).toEqual([first, second, third, fourth, last]);
    expect(fake.openStreams()).toBe(0);
    expect(fake.unitsUsed()).toBe(5);
    expect(fake.calls()['liveChatMessages.streamList']).toBe(1);
  });

  it('resumes from a nextPageToken without repeating items', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'a' });
    const r1 = new JsonArrayReader((await fetch(streamUrl(b.liveChatId))).body!);
    const d1 = (await r1.next()) as LiveChatPage;
    await r1.cancel();
    // The server notices the client going away (event-driven; waitFor only re-checks).
    await vi.waitFor(() => expect(fake.openStreams()).toBe(0));
    fake.say({ author: 'alice', text: 'b' });
    const r2 = new JsonArrayReader((await fetch(streamUrl(b.liveChatId, `&pageToken=${d1.nextPageToken}`))).body!);
    expect(texts((await r2.next()) as LiveChatPage)).toEqual(['b']);
    fake.closeStreams();
    expect(await r2.next()).toBeUndefined();
    expect(fake.unitsUsed()).toBe(10);
  });

  it('closeStreams({ abort: true }) drops the connection without ]', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    const reader = new JsonArrayReader((await fetch(streamUrl(b.liveChatId))).body!);
    await reader.next();
    fake.closeStreams({ abort: true });
    await expect(reader.next()).rejects.toThrow();
    expect(fake.openStreams()).toBe(0);
  });

  it('works through the library’s own stream method (responseType stream)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'x' });
    const res = await yt.youtube.v3.liveChat.messages.stream({ liveChatId: b.liveChatId, part: CHAT_PARTS }, { responseType: 'stream' });
    expect(res.status).toBe(200);
    fake.endStream();
    let text = '';
    for await (const chunk of res.data) text += String(chunk);
    const docs = JSON.parse(text) as LiveChatPage[];
    expect(docs.flatMap(texts)).toEqual(['x', '<chatEndedEvent>']);
  });

  it('errors are wrapped in an array (the captured liveChatDisabled body)', async () => {
    const b = fake.goLive({ channelId: CHANNEL });
    fake.failNext('liveChatDisabled', { endpoint: 'liveChatMessages.streamList' });
    const res = await fetch(streamUrl(b.liveChatId));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(fixture('error.liveChatDisabled.streamList-array.json'));
    const missing = await fetch(streamUrl('no-such-chat'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { errors: { reason: string }[] } }[])[0]!.error.errors[0]!.reason).toBe('liveChatNotFound');
    fake.endStream();
    const ended = await fetch(streamUrl(b.liveChatId));
    expect(ended.status).toBe(403);
    expect(((await ended.json()) as { error: { errors: { reason: string }[] } }[])[0]!.error.errors[0]!.reason).toBe('liveChatEnded');
    expect(fake.unitsUsed()).toBe(15);
  });

  it('streamSupported: false → 404 (a client falls back to polling)', async () => {
    await start({ streamSupported: false });
    const b = fake.goLive({ channelId: CHANNEL });
    const res = await fetch(streamUrl(b.liveChatId));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Error 404');
    expect(fake.unitsUsed()).toBe(0);
    fake.setStreamSupported(true);
    const ok = await fetch(streamUrl(b.liveChatId));
    expect(ok.status).toBe(200);
    await ok.body!.cancel();
  });
});

describe('public channel feed', () => {
  it('an Atom feed of the channel’s recent video ids, newest first, for 0 units and no key', async () => {
    const upload = fake.addVideo({ channelId: CHANNEL, title: 'Tom & Jerry <3', channelTitle: 'Creator' });
    clock += 1000;
    const live = fake.goLive({ channelId: CHANNEL });
    fake.goLive({ channelId: 'UCsomeoneElse00000000001' });
    const res = await fetch(`${fake.feedUrl}?channel_id=${CHANNEL}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015"')).toBe(true);
    expect([...xml.matchAll(/<yt:videoId>([^<]+)<\/yt:videoId>/g)].map((m) => m[1])).toEqual([live.videoId, upload]);
    expect(xml).toContain(`<yt:channelId>${CHANNEL}</yt:channelId>`);
    expect(xml).toContain('<title>Tom &amp; Jerry &lt;3</title>');
    expect(xml).toContain('<published>2024-05-01T18:00:01+00:00</published>');
    expect(fake.unitsUsed()).toBe(0);
    expect(fake.calls()['feeds.videos']).toBe(1);
    expect((await fetch(`${fake.feedUrl}?channel_id=UCunknown`)).status).toBe(404);
  });
});

describe('fake clock', () => {
  it('publishedAt follows now(), in the microsecond + offset shape, and parses back', async () => {
    clock = Date.UTC(2024, 11, 31, 23, 59, 59, 123);
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'x' });
    const item = (await list(b.liveChatId)).items![0]!;
    expect(item.snippet!.publishedAt).toBe('2024-12-31T23:59:59.123000+00:00');
    expect(parseRfc3339(item.snippet!.publishedAt)).toBe(clock);
  });
});
