/**
 * Malformed 200 bodies from the Data API (the fake's `malformNext`) through
 * the real client and the real session: a coded error, a backoff, and the
 * chat goes on — every message the API still returns delivered exactly once.
 */
import type { FakeApiEndpoint, FakeMalformedBody } from '../src/fake/types.js';
import { describe, expect, it } from 'vitest';
import { CHANNEL, setup, texts, until } from './session-helpers.js';

type Setup = Awaited<ReturnType<typeof setup>>;

/** Log lines of SS_ERR_YOUTUBE_BAD_RESPONSE (the session's 'retrying' warning). */
const badResponseLogs = (t: Setup['t']) => t.logs.lines.filter((l) => l.code === 'SS_ERR_YOUTUBE_BAD_RESPONSE');
const reconnecting = (t: Setup['t'], reason: string) => t.events.of('platform.connection').filter((e) => e.state === 'reconnecting' && e.reason === reason);

/**
 * Three bad answers in a row: a coded error each time, waits of 2 s, 4 s, 8 s (never a tight loop), then connected
 * again. `reconnects`: `reconnecting` events (once per change of state; discovery is `connecting` between its tries).
 */
function expectBackedOff(s: Setup, mark: number, endpoint: FakeApiEndpoint, reconnects = 1): void {
  const logs = badResponseLogs(s.t);
  expect(logs).toHaveLength(3);
  expect(logs[0]).toMatchObject({ reason: 'badResponse', status: 200, kind: 'transient', retryInMs: 2000 });
  expect(String(logs[0]!.error)).toContain(`YouTube ${endpoint} answered with a body that is not a valid response`);
  expect(s.sleeps.slice(mark).join(',')).toContain('2000,4000,8000');
  expect(reconnecting(s.t, 'badResponse')).toHaveLength(reconnects);
  expect(s.t.events.of('platform.connection').at(-1)?.state).toBe('connected');
  expect(s.t.logs.text()).not.toContain(s.fake.credentials.apiKey);
}

/** After a page with a null item: three messages said, each delivered once, the null counted as ignored, never as a normalizer failure. */
async function threeMessagesPastANull(fake: Setup['fake'], t: Setup['t'], session: Setup['session'], before: Setup['session']['stats']): Promise<void> {
  fake.say({ author: 'anna', text: 'one' });
  fake.say({ author: 'ben', text: 'two' });
  await until('both', () => texts(t).length >= 2);
  fake.say({ author: 'cy', text: 'three' });
  await until('three', () => texts(t).includes('three'));
  expect(texts(t)).toEqual(['one', 'two', 'three']);
  expect(session.stats).toEqual({ items: before.items + 4, ignored: before.ignored + 1, normalizeFailed: before.normalizeFailed });
  expect(t.events.of('platform.normalize-failed')).toEqual([]);
}

describe('malformed liveChatMessages.list bodies (polling)', () => {
  // checked by returning `res.data` unchecked from YouTubeApi.chatPage (no responseOf): all three fail (truncated and
  // not-json: no error, no backoff; items-not-array: a bare TypeError, no SS_ERR_YOUTUBE_BAD_RESPONSE)
  it.each<FakeMalformedBody>(['truncated', 'not-json', 'items-not-array'])('%s: coded error, backoff, then every message once', async (kind) => {
    const s = await setup();
    const { fake, t, session, sleeps } = s;
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await until('polling', () => fake.calls()['liveChatMessages.list'] >= 2);
    fake.say({ author: 'anna', text: 'before' });
    await until('before', () => texts(t).includes('before'));
    const mark = sleeps.length;
    fake.malformNext(kind, { endpoint: 'liveChatMessages.list', count: 3 });
    fake.say({ author: 'ben', text: 'in the bad pages' });
    await until('the message of the bad pages', () => texts(t).includes('in the bad pages'));
    fake.say({ author: 'cy', text: 'after' });
    await until('after', () => texts(t).includes('after'));
    expect(texts(t)).toEqual(['before', 'in the bad pages', 'after']);
    expectBackedOff(s, mark, 'liveChatMessages.list');
  });

  // checked by reading `item.id` without `?.` in ChatSession#deliver: fails (the page throws on the null: not ignored, a retry)
  it('bad-item: a null inside items is skipped and counted as ignored, not the page', async () => {
    const { fake, t, session } = await setup();
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await until('polling', () => fake.calls()['liveChatMessages.list'] >= 2);
    const before = session.stats;
    fake.malformNext('bad-item', { endpoint: 'liveChatMessages.list' });
    await threeMessagesPastANull(fake, t, session, before);
    expect(t.events.of('platform.connection').filter((e) => e.state === 'reconnecting')).toEqual([]);
    expect(t.logs.lines.filter((l) => l.msg === 'YouTube call failed; retrying')).toEqual([]);
  });
});

describe('malformed liveChatMessages.streamList bodies', () => {
  // checked by yielding `document` unchecked (no responseOf) in YouTubeApi.chatStream: items-not-array fails;
  // by dropping the end check (`documents(parser, decoder.end(), true)`): truncated fails; by dropping it and the
  // "not a JSON array" check of JsonArrayStream (either one alone catches an HTML body): not-json fails;
  // by returning JSON.parse unguarded in parseElement (json-array-stream.ts): bad-element fails (a bare SyntaxError)
  it.each<FakeMalformedBody>(['truncated', 'not-json', 'items-not-array', 'bad-element'])('%s: coded error, backoff, the stream reopened, every message once', async (kind) => {
    const s = await setup({ transport: 'stream' });
    const { fake, t, session, sleeps } = s;
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await until('the stream open', () => fake.openStreams() === 1);
    fake.say({ author: 'anna', text: 'before' });
    await until('before', () => texts(t).includes('before'));
    const mark = sleeps.length;
    fake.malformNext(kind, { endpoint: 'liveChatMessages.streamList', count: 3 });
    fake.closeStreams();
    fake.say({ author: 'ben', text: 'while reopening' });
    await until('the message said while reopening', () => texts(t).includes('while reopening'));
    await until('the good stream open', () => fake.openStreams() === 1 && fake.calls()['liveChatMessages.streamList'] >= 5);
    fake.say({ author: 'cy', text: 'after' });
    await until('after', () => texts(t).includes('after'));
    expect(texts(t)).toEqual(['before', 'while reopening', 'after']);
    expectBackedOff(s, mark, 'liveChatMessages.streamList');
    expect(fake.calls()['liveChatMessages.streamList']).toBe(5); // the first, three bad ones, the good one: no tight loop
  });

  // checked by reading `item.id` without `?.` in ChatSession#deliver: fails (the stream fails on the null and is reopened)
  it('bad-item: a null inside a page of the stream is skipped and counted; the stream goes on', async () => {
    const { fake, t, session } = await setup({ transport: 'stream' });
    fake.goLive({ channelId: CHANNEL });
    session.start();
    await until('the stream open', () => fake.openStreams() === 1);
    const before = session.stats;
    fake.malformNext('bad-item', { endpoint: 'liveChatMessages.streamList' });
    fake.closeStreams();
    await threeMessagesPastANull(fake, t, session, before);
    expect(fake.calls()['liveChatMessages.streamList']).toBe(2); // the stream with the null was not dropped
    expect(t.logs.lines.filter((l) => l.msg === 'YouTube call failed; retrying')).toEqual([]);
  });
});

describe('malformed discovery bodies (videos.list, search.list)', () => {
  // checked by returning `res.data.items ?? []` unchecked from YouTubeApi.videos: all three fail (truncated and not-json
  // read as "not live": no error, no backoff; items-not-array: a bare TypeError in liveOf)
  it.each<FakeMalformedBody>(['truncated', 'not-json', 'items-not-array'])('videos.list %s: coded error, backoff, then the stream is found', async (kind) => {
    const s = await setup();
    const { fake, t, session, sleeps } = s;
    const live = fake.goLive({ channelId: CHANNEL });
    fake.malformNext(kind, { endpoint: 'videos.list', count: 3 });
    session.start();
    expect(await t.events.waitFor('stream.online')).toMatchObject({ streamId: live.videoId });
    expect(fake.calls()['videos.list']).toBe(4);
    expectBackedOff(s, 0, 'videos.list', 3);
  });

  // checked by removing objectItems() in YouTubeApi.videos and the null check in liveOf: fails (a TypeError, a retry)
  it('videos.list bad-item: a null among the videos is skipped; the live one is found on the first check', async () => {
    const { fake, t, session } = await setup();
    const live = fake.goLive({ channelId: CHANNEL });
    fake.malformNext('bad-item', { endpoint: 'videos.list' });
    session.start();
    expect(await t.events.waitFor('stream.online')).toMatchObject({ streamId: live.videoId });
    expect(fake.calls()['videos.list']).toBe(1);
    expect(t.events.of('platform.connection').filter((e) => e.state === 'reconnecting')).toEqual([]);
  });

  // checked by returning `res.data.items ?? []` unchecked from YouTubeApi.searchLive: truncated fails (read as "not
  // live": no error, no backoff); by removing objectItems() there: bad-item fails (a TypeError on the null, a retry)
  it.each<FakeMalformedBody>(['truncated', 'bad-item'])('search.list %s', async (kind) => {
    const s = await setup({ config: { useSearch: true } });
    const { fake, t, session } = s;
    const live = fake.goLive({ channelId: CHANNEL });
    fake.failNext('backendError', { endpoint: 'feeds.videos', count: 100 }); // the feed is down: only search finds the stream
    fake.malformNext(kind, { endpoint: 'search.list', count: kind === 'bad-item' ? 1 : 3 });
    session.start();
    expect(await t.events.waitFor('stream.online')).toMatchObject({ streamId: live.videoId });
    if (kind === 'bad-item') {
      expect(fake.calls()['search.list']).toBe(1);
      expect(t.events.of('platform.connection').filter((e) => e.state === 'reconnecting')).toEqual([]);
    } else {
      expect(fake.calls()['search.list']).toBe(4);
      expectBackedOff(s, 0, 'search.list', 3);
    }
  });
});
