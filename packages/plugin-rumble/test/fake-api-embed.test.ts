/**
 * The fake's embed metadata endpoint (`/embedJS/u3/?request=video&ver=2&v=`),
 * which the plugin reads for a live stream's HLS URL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeRumbleApi, startFakeRumbleApi } from '../src/testing.js';

const T0 = Date.UTC(2024, 9, 1, 16, 5, 1, 234);
const open: FakeRumbleApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

async function start(): Promise<FakeRumbleApi> {
  const api = await startFakeRumbleApi({ now: () => T0 });
  open.push(api);
  return api;
}

interface Embed {
  live: number;
  title: string;
  pubDate: string;
  author: { name: string; url: string };
  livestream_has_dvr: boolean;
  ua: { hls?: { auto: { url: string; meta: { bitrate: number; size: number; w: number; h: number } } } };
}

async function embed(api: FakeRumbleApi, v: string): Promise<{ status: number; value: unknown }> {
  const res = await fetch(`${api.origin}/embedJS/u3/?request=video&ver=2&v=${encodeURIComponent(v)}`);
  expect(res.headers.get('content-type')).toBe('application/json');
  return { status: res.status, value: await res.json() };
}

describe('embed endpoint', () => {
  it('answers false (status 200) for an id never set', async () => {
    const api = await start();
    api.setStreamUrl('6abcde', 'http://127.0.0.1:1/live.m3u8');
    expect(await embed(api, 'v6zzzzz')).toEqual({ status: 200, value: false });
    expect(await embed(api, '6zzzzz')).toEqual({ status: 200, value: false });
  });

  it('answers a set stream by its embed id (v prefix) and by the bare id, like Rumble\'s embedJS', async () => {
    const api = await start();
    const ch = api.addChannel('k1', { username: 'Streamer' });
    ch.goLive({ id: '6abcde', title: 'Live show', createdOn: Date.UTC(2024, 9, 1, 16, 0, 0) });
    api.setStreamUrl('6abcde', 'http://127.0.0.1:9/hls/6abcde.m3u8');
    const prefixed = await embed(api, 'v6abcde');
    const bare = await embed(api, '6abcde');
    expect(prefixed.status).toBe(200);
    expect(bare.value).toEqual(prefixed.value);
    const e = prefixed.value as Embed;
    expect(e.live).toBe(2);
    expect(e.ua.hls!.auto.url).toBe('http://127.0.0.1:9/hls/6abcde.m3u8');
    expect(e.ua.hls!.auto.meta).toMatchObject({ w: 1920, h: 1080 });
    expect(typeof e.ua.hls!.auto.meta.bitrate).toBe('number');
    expect(typeof e.ua.hls!.auto.meta.size).toBe('number');
    expect(e.title).toBe('Live show');
    expect(e.pubDate).toBe('2024-10-01T16:00:00+00:00');
    expect(e.author.name).toBe('Streamer');
    expect(e.author.url).toMatch(/^https:\/\/rumble\.com\/c\/Streamer$/);
    expect(typeof e.livestream_has_dvr).toBe('boolean');
  });

  it('answers ua: {} and live 2 when the URL is undefined, and the live state asked for', async () => {
    const api = await start();
    api.setStreamUrl('6aaaaa', undefined);
    api.setStreamUrl('6bbbbb', 'http://127.0.0.1:9/b.m3u8', { live: 0 });
    api.setStreamUrl('6ccccc', 'http://127.0.0.1:9/c.m3u8', { live: 1 });
    const a = (await embed(api, 'v6aaaaa')).value as Embed;
    expect([a.live, a.ua]).toEqual([2, {}]);
    expect(((await embed(api, 'v6bbbbb')).value as Embed).live).toBe(0);
    expect(((await embed(api, 'v6ccccc')).value as Embed).live).toBe(1);
    api.setStreamUrl('6aaaaa', 'http://127.0.0.1:9/a2.m3u8');
    expect(((await embed(api, 'v6aaaaa')).value as Embed).ua.hls!.auto.url).toBe('http://127.0.0.1:9/a2.m3u8');
  });

  it('records embed requests with no key and the path without its query', async () => {
    const api = await start();
    api.setStreamUrl('6abcde', undefined);
    await embed(api, 'v6abcde');
    await embed(api, 'vnope');
    expect(api.requests()).toEqual([
      { at: T0, key: undefined, path: '/embedJS/u3/', status: 200 },
      { at: T0, key: undefined, path: '/embedJS/u3/', status: 200 },
    ]);
    await api.waitForRequests(2, { timeoutMs: 1000 });
    expect(api.requestCount()).toBe(2);
  });
});
