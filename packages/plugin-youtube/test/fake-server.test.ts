/**
 * The fake YouTube Data API driven by the real @googleapis/youtube client:
 * the server itself, videos, liveBroadcasts and search, the public feed, the clock.
 * (Live chat, streaming, OAuth, errors and quota: the fake-server-*.test.ts files.)
 */
import type { youtube_v3 } from '@googleapis/youtube';
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../src/normalize/index.js';
import { FAKE_BOT_ACCOUNT } from '../src/testing.js';
import { advanceClock, CHANNEL, clock, failure, fake, fixture, keys, list, oauthClient, setClock, T0, yt } from './fake-server-harness.js';
import { JsonArrayReader } from './json-array-reader.js';

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

describe('videos.list', () => {
  it('live, upcoming, ended and unknown videos, shaped like the captured responses (1 unit)', async () => {
    const upcoming = fake.schedule({ channelId: CHANNEL, title: 'Later', scheduledStartTime: T0 + 3_600_000 });
    const live = fake.schedule({ channelId: CHANNEL, title: 'Now', scheduledStartTime: T0 + 60_000 });
    advanceClock(30_000);
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

    advanceClock(60_000);
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
    advanceClock(1000);
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

describe('public channel feed', () => {
  it('an Atom feed of the channel’s recent video ids, newest first, for 0 units and no key', async () => {
    const upload = fake.addVideo({ channelId: CHANNEL, title: 'Tom & Jerry <3', channelTitle: 'Creator' });
    advanceClock(1000);
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
    setClock(Date.UTC(2024, 11, 31, 23, 59, 59, 123));
    const b = fake.goLive({ channelId: CHANNEL });
    fake.say({ author: 'alice', text: 'x' });
    const item = (await list(b.liveChatId)).items![0]!;
    expect(item.snippet!.publishedAt).toBe('2024-12-31T23:59:59.123000+00:00');
    expect(parseRfc3339(item.snippet!.publishedAt)).toBe(clock);
  });
});
