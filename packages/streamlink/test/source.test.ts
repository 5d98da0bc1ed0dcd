import { createTempDirs } from '@streamsuites/testing';
import { afterEach, expect, it } from 'vitest';
import { streamlinkSource } from '../src/index.js';
import { writeStandInStreamlink } from '../src/testing.js';

const temp = createTempDirs('ss-streamlink-source-');
afterEach(() => temp.removeAll());

const STREAM = 'https://video.example.net/live.m3u8?token=s3cret';

it('resolves a creator through its page URL, via streamlink', async () => {
  const standIn = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const pages: string[] = [];
  const source = streamlinkSource({
    platform: 'twitch',
    path: standIn.path,
    quality: '480p',
    pageUrl: (creatorId) => {
      pages.push(creatorId);
      return `https://www.twitch.tv/${creatorId}_tv`;
    },
  });
  expect(source.platform).toBe('twitch');
  await expect(source.resolve('daniel', { signal: new AbortController().signal })).resolves.toEqual({ url: STREAM, via: 'streamlink' });
  expect(pages).toEqual(['daniel']);
  expect(standIn.calls().at(-1)).toEqual(['--stream-url', 'https://www.twitch.tv/daniel_tv', '480p']);
});

it('rejects with SS_ERR_STREAMLINK_NOT_LIVE, without running streamlink, when there is no page', async () => {
  const standIn = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const source = streamlinkSource({ platform: 'youtube', path: standIn.path, pageUrl: () => undefined });
  await expect(source.resolve('nobody', { signal: new AbortController().signal })).rejects.toMatchObject({
    code: 'SS_ERR_STREAMLINK_NOT_LIVE',
    message: expect.stringContaining('creator "nobody" has no youtube stream'),
    details: { platform: 'youtube', creatorId: 'nobody' },
  });
  expect(standIn.calls()).toEqual([]);
});

it('passes the caller\'s signal to streamlink', async () => {
  const standIn = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const source = streamlinkSource({ platform: 'twitch', path: standIn.path, pageUrl: (id) => `https://www.twitch.tv/${id}` });
  await expect(source.resolve('daniel', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'SS_ERR_ABORTED' });
  expect(standIn.calls()).toEqual([]);
});

it('reads settings at every resolve, over the static options, and reports each URL resolved', async () => {
  const standIn = writeStandInStreamlink(temp.make(), { prints: STREAM });
  let quality = '360p';
  const resolved: string[] = [];
  const source = streamlinkSource({
    platform: 'twitch',
    path: '/nonexistent/streamlink',
    quality: 'best',
    pageUrl: (id) => `https://www.twitch.tv/${id}`,
    settings: () => ({ path: standIn.path, quality }),
    onResolved: (input) => resolved.push(input.url),
  });
  await source.resolve('daniel', { signal: new AbortController().signal });
  expect(standIn.calls().at(-1)).toEqual(['--stream-url', 'https://www.twitch.tv/daniel', '360p']);
  quality = '720p';
  await source.resolve('daniel', { signal: new AbortController().signal });
  expect(standIn.calls().at(-1)).toEqual(['--stream-url', 'https://www.twitch.tv/daniel', '720p']);
  expect(resolved).toEqual([STREAM, STREAM]);
});
