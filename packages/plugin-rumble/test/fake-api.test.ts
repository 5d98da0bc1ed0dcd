/**
 * startFakeRumbleApi over real HTTP (loopback): body fields and formats,
 * the window of `maxResults`, failures, malformed bodies, the request log.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRumbleApi, startFakeRumbleApi, type StartFakeRumbleApiOptions } from '../src/testing.js';

/** 2024-10-01T16:05:01.234Z: a millisecond part, so second precision shows. */
const T0 = Date.UTC(2024, 9, 1, 16, 5, 1, 234);

interface Started {
  api: FakeRumbleApi;
  clock: { t: number };
}

const open: FakeRumbleApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

/** A fake whose clock is `clock.t` (closed after each test). */
async function start(options: Omit<StartFakeRumbleApiOptions, 'now'> = {}): Promise<Started> {
  const clock = { t: T0 };
  const api = await startFakeRumbleApi({ ...options, now: () => clock.t });
  open.push(api);
  return { api, clock };
}

/** GET the keyed URL of `key` with its origin swapped for the fake's, as the plugin does. */
function poll(api: FakeRumbleApi, key: string): Promise<Response> {
  const keyed = new URL(api.keyedUrl(key));
  return fetch(new URL(keyed.pathname + keyed.search, api.origin));
}

/** The parsed body of a 200 get-data answer. */
async function body(api: FakeRumbleApi, key: string): Promise<GetData> {
  const res = await poll(api, key);
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as GetData;
}

interface ChatEntry {
  username: string;
  badges: string[];
  text: string;
  created_on: string;
  profile_pic_url: string;
}
interface RantEntry extends ChatEntry {
  expires_on: string;
  amount_cents: number;
  amount_dollars: number;
}
interface SubscriberEntry {
  username: string;
  user: string;
  amount_cents: number;
  amount_dollars: number;
  subscribed_on: string;
}
interface Livestream {
  id: string;
  title: string;
  created_on: string;
  scheduled_on: string;
  is_live: boolean;
  visibility: string;
  categories: Record<string, { slug: string; title: string }>;
  stream_key: string;
  server_url: string;
  likes: number;
  dislikes: number;
  watching_now: number;
  chat: { latest_message: ChatEntry | null; recent_messages: ChatEntry[]; latest_rant: RantEntry | null; recent_rants: RantEntry[] };
}
/** The get-data body, loosely typed for assertions. */
interface GetData {
  now: number;
  type: string;
  user_id: string;
  username: string;
  channel_id: string | null;
  channel_name: string | null;
  since: null;
  max_num_results: number;
  followers: {
    num_followers: number;
    num_followers_total: number;
    latest_follower: { username: string; followed_on: string } | null;
    recent_followers: { username: string; followed_on: string }[];
  };
  subscribers: { num_subscribers: number; latest_subscriber: SubscriberEntry | null; recent_subscribers: SubscriberEntry[] };
  gifted_subs: { num_gifted_subs: number; latest_gifted_sub: Record<string, unknown> | null; recent_gifted_subs: Record<string, unknown>[] };
  livestreams: Livestream[];
}

const SECOND_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const SECOND_MINUS4 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-04:00$/;

describe('addresses', () => {
  it('serves the keyed path on 127.0.0.1 and answers JSON', async () => {
    const { api } = await start();
    api.addChannel('k1');
    expect(api.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.keyedUrl('k1')).toBe('https://rumble.com/-livestream-api/get-data?key=k1');
    const res = await poll(api, 'k1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('answers 404 to other paths and to other methods on the API path, and records them', async () => {
    const { api } = await start();
    api.addChannel('k1');
    expect((await fetch(`${api.origin}/-livestream-api/other?key=k1`)).status).toBe(404);
    expect((await fetch(`${api.origin}/-livestream-api/get-data?key=k1`, { method: 'POST' })).status).toBe(404);
    expect(api.requests().map((r) => [r.path, r.status, r.key])).toEqual([
      ['/-livestream-api/other', 404, undefined],
      ['/-livestream-api/get-data', 404, 'k1'],
    ]);
  });
});

describe('get-data body', () => {
  it('has the account fields, `now` in epoch seconds, and the options given', async () => {
    const { api } = await start({ maxResults: 7 });
    api.addChannel('k1', { username: 'Streamer', userId: 'u123', channelName: 'The Channel', channelId: 'c9' });
    api.addChannel('k2');
    const b = await body(api, 'k1');
    expect(b.now).toBe(Math.floor(T0 / 1000));
    expect({ type: b.type, user_id: b.user_id, username: b.username, channel_id: b.channel_id, channel_name: b.channel_name, since: b.since, max: b.max_num_results }).toEqual({
      type: 'user',
      user_id: 'u123',
      username: 'Streamer',
      channel_id: 'c9',
      channel_name: 'The Channel',
      since: null,
      max: 7,
    });
    const d = await body(api, 'k2');
    expect(d.channel_id).toBeNull();
    expect(d.channel_name).toBeNull();
    expect(d.username).not.toBe(b.username);
    expect(d.user_id).not.toBe(b.user_id);
  });

  it('is empty but complete for a channel with nothing: nulls, empty lists, zero counts, livestreams []', async () => {
    const { api } = await start();
    api.addChannel('k1');
    const b = await body(api, 'k1');
    expect(b.followers).toEqual({ num_followers: 0, num_followers_total: 0, latest_follower: null, recent_followers: [] });
    expect(b.subscribers).toEqual({ num_subscribers: 0, latest_subscriber: null, recent_subscribers: [] });
    expect(b.gifted_subs).toEqual({ num_gifted_subs: 0, latest_gifted_sub: null, recent_gifted_subs: [] });
    expect(b.livestreams).toEqual([]);
  });

  it('lists a live livestream with its fields; chat latest_* null before anyone writes', async () => {
    const { api } = await start();
    const ch = api.addChannel('k1', { streamKey: 'sk_secret_123' });
    const { id } = ch.goLive({ id: '6abcde', title: 'My show', createdOn: Date.UTC(2024, 9, 1, 16, 0, 0, 999), categories: { primary: { slug: 'music', title: 'Music' } } });
    expect(id).toBe('6abcde');
    expect(ch.liveId).toBe('6abcde');
    const [ls] = (await body(api, 'k1')).livestreams;
    expect(ls).toMatchObject({
      id: '6abcde',
      title: 'My show',
      created_on: '2024-10-01T16:00:00+00:00',
      scheduled_on: '2024-10-01T16:00:00+00:00',
      is_live: true,
      visibility: 'public',
      categories: { primary: { slug: 'music', title: 'Music' } },
      stream_key: 'sk_secret_123',
      likes: 0,
      dislikes: 0,
      watching_now: 0,
    });
    expect(typeof ls!.server_url).toBe('string');
    expect(ls!.chat).toEqual({ latest_message: null, recent_messages: [], latest_rant: null, recent_rants: [] });
  });

  it('generates livestream ids like 6a1b2c and a long secret stream key per channel', async () => {
    const { api } = await start();
    const a = api.addChannel('k1');
    const b = api.addChannel('k2');
    expect(a.goLive().id).toMatch(/^6[0-9a-z]{5}$/);
    b.goLive();
    const [ka, kb] = [(await body(api, 'k1')).livestreams[0]!.stream_key, (await body(api, 'k2')).livestreams[0]!.stream_key];
    expect(ka.length).toBeGreaterThanOrEqual(32);
    expect(ka).not.toBe(kb);
  });

  it('serves chat oldest first at second precision, latest_message the newest, repeats in one second kept (no dedupe)', async () => {
    const { api, clock } = await start();
    const ch = api.addChannel('k1');
    ch.goLive({ id: '6abcde' });
    ch.say({ username: 'A', text: 'hello', badges: ['premium'] });
    clock.t += 500; // same second (…:01.734)
    ch.say({ username: 'A', text: 'hello', badges: ['premium'] });
    ch.say({ username: 'B', text: 'later', at: T0 + 9_000 });
    const { chat } = (await body(api, 'k1')).livestreams[0]!;
    expect(chat.recent_messages).toEqual([
      { username: 'A', badges: ['premium'], text: 'hello', created_on: '2024-10-01T16:05:01+00:00', profile_pic_url: '' },
      { username: 'A', badges: ['premium'], text: 'hello', created_on: '2024-10-01T16:05:01+00:00', profile_pic_url: '' },
      { username: 'B', badges: [], text: 'later', created_on: '2024-10-01T16:05:10+00:00', profile_pic_url: '' },
    ]);
    expect(chat.latest_message).toEqual(chat.recent_messages[2]);
  });

  it('serves rants with truncated dollars and expires_on, keeping expired ones', async () => {
    const { api, clock } = await start();
    const ch = api.addChannel('k1');
    ch.goLive();
    ch.rant({ username: 'R1', text: 'a', amountCents: 199 });
    ch.rant({ username: 'R2', text: 'b', amountCents: 99, expiresAfterSec: 30, at: T0 + 2000 });
    ch.rant({ username: 'R3', text: 'c', amountCents: 250, badges: ['whale-gray'], at: T0 + 3000 });
    clock.t += 3_600_000; // every rant long expired
    const { chat } = (await body(api, 'k1')).livestreams[0]!;
    expect(chat.recent_rants.map((r) => [r.username, r.amount_cents, r.amount_dollars, r.created_on, r.expires_on])).toEqual([
      ['R1', 199, 1, '2024-10-01T16:05:01+00:00', '2024-10-01T16:07:01+00:00'],
      ['R2', 99, 0, '2024-10-01T16:05:03+00:00', '2024-10-01T16:05:33+00:00'],
      ['R3', 250, 2, '2024-10-01T16:05:04+00:00', '2024-10-01T16:07:04+00:00'],
    ]);
    expect(chat.latest_rant).toEqual(chat.recent_rants[2]);
    expect(chat.latest_rant!.badges).toEqual(['whale-gray']);
    expect(chat.recent_messages).toEqual([]);
  });

  it('serves followers newest first with a -04:00 offset for the same instant', async () => {
    const { api } = await start();
    const ch = api.addChannel('k1');
    ch.follow('F1', Date.UTC(2024, 9, 1, 2, 30, 15, 700));
    ch.follow('F2');
    const { followers } = await body(api, 'k1');
    expect(followers.num_followers).toBe(2);
    expect(followers.num_followers_total).toBe(2);
    expect(followers.recent_followers.map((f) => [f.username, f.followed_on])).toEqual([
      ['F2', '2024-10-01T12:05:01-04:00'],
      ['F1', '2024-09-30T22:30:15-04:00'],
    ]);
    for (const f of followers.recent_followers) expect(f.followed_on).toMatch(SECOND_MINUS4);
    expect(Date.parse(followers.recent_followers[0]!.followed_on)).toBe(Math.floor(T0 / 1000) * 1000);
    expect(followers.latest_follower).toEqual(followers.recent_followers[0]);
  });

  it('serves subscribers newest first at +00:00, 500 cents by default, in Rumble\'s two key orders', async () => {
    const { api } = await start();
    const ch = api.addChannel('k1');
    ch.subscribe('S1', 1499, T0 - 61_000);
    ch.subscribe('S2');
    const { subscribers } = await body(api, 'k1');
    expect(subscribers.num_subscribers).toBe(2);
    expect(subscribers.recent_subscribers).toEqual([
      { user: 'S2', username: 'S2', amount_cents: 500, amount_dollars: 5, subscribed_on: '2024-10-01T16:05:01+00:00' },
      { user: 'S1', username: 'S1', amount_cents: 1499, amount_dollars: 14, subscribed_on: '2024-10-01T16:04:00+00:00' },
    ]);
    expect(Object.keys(subscribers.recent_subscribers[0]!)).toEqual(['user', 'username', 'amount_cents', 'amount_dollars', 'subscribed_on']);
    expect(Object.keys(subscribers.latest_subscriber!)).toEqual(['username', 'user', 'amount_cents', 'amount_dollars', 'subscribed_on']);
    expect(subscribers.latest_subscriber!.username).toBe('S2');
    expect(subscribers.latest_subscriber!.subscribed_on).toMatch(SECOND_UTC);
  });

  it('serves gifted subs newest first with the livestream as video_id', async () => {
    const { api } = await start();
    const ch = api.addChannel('k1');
    ch.goLive({ id: '6abcde' });
    ch.giftSubs('G1', 5);
    ch.giftSubs('G2', 1, T0 + 1000);
    const { gifted_subs } = await body(api, 'k1');
    expect(gifted_subs.num_gifted_subs).toBe(2);
    expect(gifted_subs.recent_gifted_subs.map((g) => [g.purchased_by, g.total_gifts, g.gifted_on, g.video_id])).toEqual([
      ['G2', 1, '2024-10-01T16:05:02+00:00', Number.parseInt('6abcde', 36)],
      ['G1', 5, '2024-10-01T16:05:01+00:00', Number.parseInt('6abcde', 36)],
    ]);
    expect(gifted_subs.latest_gifted_sub).toEqual(gifted_subs.recent_gifted_subs[0]);
  });
});

describe('the window of maxResults', () => {
  it('serves the last maxResults of each list, so consecutive bodies overlap', async () => {
    const { api } = await start({ maxResults: 5 });
    const ch = api.addChannel('k1');
    ch.goLive();
    for (let i = 1; i <= 5; i++) ch.say({ username: 'u', text: `m${i}` });
    const first = (await body(api, 'k1')).livestreams[0]!.chat.recent_messages.map((m) => m.text);
    ch.say({ username: 'u', text: 'm6' });
    ch.say({ username: 'u', text: 'm7' });
    const second = (await body(api, 'k1')).livestreams[0]!.chat.recent_messages.map((m) => m.text);
    expect(first).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(second).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    // a long history (trimmed inside the fake) still shows exactly the last five
    for (let i = 8; i <= 40; i++) ch.say({ username: 'u', text: `m${i}` });
    const third = (await body(api, 'k1')).livestreams[0]!.chat;
    expect(third.recent_messages.map((m) => m.text)).toEqual(['m36', 'm37', 'm38', 'm39', 'm40']);
    expect(third.latest_message!.text).toBe('m40');
  });

  it('caps rants, followers and subscribers too, with the counts still complete', async () => {
    const { api } = await start({ maxResults: 3 });
    const ch = api.addChannel('k1');
    ch.goLive();
    for (let i = 1; i <= 8; i++) {
      ch.rant({ username: `r${i}`, text: 't', amountCents: 100 });
      ch.follow(`f${i}`);
      ch.subscribe(`s${i}`);
    }
    const b = await body(api, 'k1');
    expect(b.livestreams[0]!.chat.recent_rants.map((r) => r.username)).toEqual(['r6', 'r7', 'r8']);
    expect(b.followers.recent_followers.map((f) => f.username)).toEqual(['f8', 'f7', 'f6']);
    expect(b.subscribers.recent_subscribers.map((s) => s.username)).toEqual(['s8', 's7', 's6']);
    expect([b.followers.num_followers, b.followers.num_followers_total, b.subscribers.num_subscribers]).toEqual([8, 8, 8]);
  });
});

describe('going offline', () => {
  it('serves livestreams: [] after goOffline, and keeps the stream with is_live:false when keepListed', async () => {
    const { api } = await start();
    const a = api.addChannel('k1');
    const b = api.addChannel('k2');
    a.goLive({ id: '6aaaaa' });
    b.goLive({ id: '6bbbbb' });
    a.say({ username: 'x', text: 'before' });
    b.say({ username: 'y', text: 'before' });
    a.goOffline();
    b.goOffline({ keepListed: true });
    expect((await body(api, 'k1')).livestreams).toEqual([]);
    expect(a.liveId).toBeUndefined();
    const [kept] = (await body(api, 'k2')).livestreams;
    expect(kept!.id).toBe('6bbbbb');
    expect(kept!.is_live).toBe(false);
    expect(kept!.chat.recent_messages.map((m) => m.text)).toEqual(['before']);
    expect(() => a.say({ username: 'x', text: 'nobody hears' })).toThrow(/goLive/);
  });

  it('resumes the listed livestream (and its chat) for its own id; another id starts with an empty chat', async () => {
    const { api } = await start();
    const ch = api.addChannel('k1');
    ch.goLive({ id: '6aaaaa' });
    ch.say({ username: 'x', text: 'one' });
    ch.goOffline({ keepListed: true });
    ch.goLive({ id: '6aaaaa' });
    let [ls] = (await body(api, 'k1')).livestreams;
    expect([ls!.is_live, ls!.chat.recent_messages.length]).toEqual([true, 1]);
    ch.goLive({ id: '6ccccc' });
    [ls] = (await body(api, 'k1')).livestreams;
    expect([ls!.id, ls!.chat.recent_messages.length]).toEqual(['6ccccc', 0]);
  });
});

describe('errors', () => {
  it('answers 401 {"error":"Invalid key"} to an unknown or missing key', async () => {
    const { api } = await start();
    api.addChannel('k1');
    const res = await poll(api, 'nope');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: 'Invalid key' });
    expect((await fetch(`${api.origin}/-livestream-api/get-data`)).status).toBe(401);
    expect(api.requests().map((r) => [r.key, r.status])).toEqual([
      ['nope', 401],
      [undefined, 401],
    ]);
  });

  it('failNext answers the status `times` times, then the real body', async () => {
    const { api } = await start();
    api.addChannel('k1');
    api.failNext({ status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await poll(api, 'k1')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('failNext with a key fails only that key, and applies before the key check', async () => {
    const { api } = await start();
    api.addChannel('k1');
    api.addChannel('k2');
    api.failNext({ key: 'k2', status: 403 });
    api.failNext({ key: 'ghost', status: 503 });
    expect((await poll(api, 'k1')).status).toBe(200);
    expect((await poll(api, 'k2')).status).toBe(403);
    expect((await poll(api, 'k2')).status).toBe(200);
    const ghost = await poll(api, 'ghost');
    expect(ghost.status).toBe(503);
    expect(ghost.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await poll(api, 'ghost')).status).toBe(401);
  });

  it('sends Retry-After with a 429 when asked, and a custom body', async () => {
    const { api } = await start();
    api.addChannel('k1');
    api.failNext({ status: 429, retryAfterSec: 17 });
    api.failNext({ status: 429, body: '{"error":"slow down"}' });
    const first = await poll(api, 'k1');
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '17']);
    expect(await first.json()).toEqual({ error: 'Too Many Requests' });
    const second = await poll(api, 'k1');
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, null]);
    expect(await second.text()).toBe('{"error":"slow down"}');
  });

  it('refuses statuses it does not model', async () => {
    const { api } = await start();
    expect(() => api.failNext({ status: 418 as 401 })).toThrow(RangeError);
    expect(() => api.failNext({ status: 500, times: 0 })).toThrow(RangeError);
  });
});

describe('malformNext', () => {
  it('breaks 200 answers in each kind', async () => {
    const { api } = await start();
    api.addChannel('k1').goLive();
    const good = JSON.stringify(await body(api, 'k1'));
    const seen: Record<string, { status: number; type: string | null; text: string }> = {};
    for (const kind of ['truncated', 'not-json', 'html', 'wrong-shape', 'empty'] as const) {
      api.malformNext({ kind });
      const res = await poll(api, 'k1');
      seen[kind] = { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }
    for (const s of Object.values(seen)) expect(s.status).toBe(200);
    expect(seen.truncated!.text).toBe(good.slice(0, Math.floor(good.length / 2)));
    expect(() => JSON.parse(seen.truncated!.text)).toThrow();
    expect(seen['not-json']!.type).toBe('application/json');
    expect(() => JSON.parse(seen['not-json']!.text)).toThrow();
    expect(seen.html!.type).toMatch(/^text\/html/);
    expect(seen.html!.text).toMatch(/^<!DOCTYPE html>/);
    expect(JSON.parse(seen['wrong-shape']!.text)).toEqual({ data: JSON.parse(good) });
    expect(seen.empty!.text).toBe('');
    expect((await poll(api, 'k1')).status).toBe(200);
    expect(JSON.parse(await (await poll(api, 'k1')).text())).toEqual(JSON.parse(good));
  });

  it('is spent only on a good answer for its key: a 401 passes through untouched', async () => {
    const { api } = await start();
    api.addChannel('k1');
    api.addChannel('k2');
    api.malformNext({ key: 'k2', kind: 'empty', times: 2 });
    api.malformNext({ kind: 'html' });
    expect((await poll(api, 'ghost')).status).toBe(401);
    expect(await (await poll(api, 'k1')).text()).toMatch(/^<!DOCTYPE html>/); // the any-key one
    expect(await (await poll(api, 'k2')).text()).toBe('');
    expect(await (await poll(api, 'k2')).text()).toBe('');
    expect(JSON.parse(await (await poll(api, 'k2')).text())).toHaveProperty('livestreams');
  });
});

describe('request log', () => {
  it('records time, key, path and status; counts per key', async () => {
    const { api, clock } = await start();
    api.addChannel('k1');
    api.addChannel('k2');
    await poll(api, 'k1');
    clock.t += 5000;
    await poll(api, 'k2');
    await poll(api, 'k1');
    expect(api.requests()).toEqual([
      { at: T0, key: 'k1', path: '/-livestream-api/get-data', status: 200 },
      { at: T0 + 5000, key: 'k2', path: '/-livestream-api/get-data', status: 200 },
      { at: T0 + 5000, key: 'k1', path: '/-livestream-api/get-data', status: 200 },
    ]);
    expect([api.requestCount('k1'), api.requestCount('k2'), api.requestCount('k3'), api.requestCount()]).toEqual([2, 1, 0, 3]);
  });

  it('waitForRequests resolves once enough requests for the key were answered', async () => {
    const { api } = await start();
    api.addChannel('k1');
    api.addChannel('k2');
    const waited = api.waitForRequests(2, { key: 'k1', timeoutMs: 5000 });
    let done = false;
    void waited.then(() => (done = true));
    await poll(api, 'k1');
    await poll(api, 'k2');
    await Promise.resolve();
    expect(done).toBe(false);
    await poll(api, 'k1');
    await waited;
    expect(api.requestCount('k1')).toBe(2);
    await expect(api.waitForRequests(2, { key: 'k1' })).resolves.toBeUndefined();
  });

  it('waitForRequests rejects at its deadline, and when the fake closes', async () => {
    const { api } = await start();
    api.addChannel('k1');
    await poll(api, 'k1');
    await expect(api.waitForRequests(2, { key: 'k1', timeoutMs: 30 })).rejects.toThrow(/waited 30 ms for 2 requests for key "k1", 1 answered/);
    const pending = api.waitForRequests(5, { timeoutMs: 10_000 });
    await api.close();
    await expect(pending).rejects.toThrow(/closed/);
  });

  it('waitForRequests keeps real time under vi.useFakeTimers (its deadline still fires)', async () => {
    const { api } = await start();
    api.addChannel('k1');
    vi.useFakeTimers();
    try {
      const waited = api.waitForRequests(1, { key: 'k1' });
      await poll(api, 'k1');
      await waited;
      await expect(api.waitForRequests(3, { key: 'k1', timeoutMs: 20 })).rejects.toThrow(/waited 20 ms/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('close is idempotent and stops answering', async () => {
    const { api } = await start();
    api.addChannel('k1');
    await poll(api, 'k1');
    await Promise.all([api.close(), api.close()]);
    await expect(poll(api, 'k1')).rejects.toThrow();
  });
});

describe('controls', () => {
  it('refuses a duplicate key and an unknown channel', async () => {
    const { api } = await start();
    const ch = api.addChannel('k1');
    expect(api.channel('k1')).toBe(ch);
    expect(() => api.addChannel('k1')).toThrow(/already registered/);
    expect(() => api.channel('k9')).toThrow(/unknown key "k9"/);
  });
});
