import { secretsRef, streamSourcesExtensionPoint } from '@streamsuites/kernel';
import { writeStandInStreamlink } from '@streamsuites/streamlink/testing';
import { createTempDirs, extensionProbe, startTestKernel } from '@streamsuites/testing';
import { afterEach, expect, it } from 'vitest';
import youtubePlugin, { youtubePageUrl } from '../src/index.js';
import { startFakeYouTubeApi, type FakeYouTubeApi } from '../src/testing.js';

const CHANNEL = 'UCstreamsuitesDanielChan0';
// A googlevideo-like URL: the signature sits in the path, where no URL-parameter redaction finds it.
const STREAM = 'https://manifest.googlevideo.example/api/manifest/hls_variant/expire/1/sig/SIGNATUREabcdef123456/file/index.m3u8';
const temp = createTempDirs('ss-youtube-streamlink-');
const fakes: FakeYouTubeApi[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
  temp.removeAll();
});

async function start(streamlink: Record<string, unknown>, youtube: Record<string, unknown>, before?: (fake: FakeYouTubeApi) => void) {
  const fake = await startFakeYouTubeApi();
  fakes.push(fake);
  before?.(fake);
  const probe = extensionProbe(streamSourcesExtensionPoint);
  const t = await startTestKernel({
    plugins: [youtubePlugin, probe.plugin],
    manifest: {
      plugins: { youtube: { config: { apiUrl: fake.url, tokenUrl: fake.tokenUrl, feedUrl: fake.feedUrl, streamlink } }, probe: {} },
      creators: {
        daniel: { enable: ['youtube', 'probe'], config: { youtube: { apiKey: fake.credentials.apiKey, transport: 'poll', ...youtube } } },
      },
    },
  });
  const sources = probe.contributions().filter((s) => s.pluginId === 'youtube');
  expect(sources).toHaveLength(1);
  return { t, fake, source: sources[0]!.value };
}

const signal = () => new AbortController().signal;

it('youtubePageUrl: the live video, else the configured video, else the channel /live page', () => {
  expect(youtubePageUrl({ channelId: CHANNEL, videoId: 'configured1' }, 'livevideo01')).toBe('https://www.youtube.com/watch?v=livevideo01');
  expect(youtubePageUrl({ channelId: CHANNEL, videoId: 'configured1' })).toBe('https://www.youtube.com/watch?v=configured1');
  expect(youtubePageUrl({ channelId: CHANNEL })).toBe(`https://www.youtube.com/channel/${CHANNEL}/live`);
  expect(youtubePageUrl({})).toBeUndefined();
});

it('opens the channel /live page while no broadcast is known', async () => {
  const streamlink = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const { t, source } = await start({ path: streamlink.path }, { channelId: CHANNEL });
  expect(source.platform).toBe('youtube');
  await expect(source.resolve('daniel', { signal: signal() })).resolves.toEqual({ url: STREAM, via: 'streamlink' });
  expect(streamlink.calls()).toEqual([['--stream-url', `https://www.youtube.com/channel/${CHANNEL}/live`, 'best']]);
  await t.stop();
});

it('opens the live video discovery found, with the configured quality and arguments, and /live again after it ended', async () => {
  const streamlink = writeStandInStreamlink(temp.make(), { prints: STREAM });
  // Server streaming: the broadcast's end arrives at once (polling could wait out a long budgeted interval).
  const { t, fake, source } = await start({ path: streamlink.path, quality: '720p', extraArgs: ['--http-no-ssl-verify'], timeoutSec: 5 }, { channelId: CHANNEL, transport: 'stream' }, (f) => {
    f.goLive({ channelId: CHANNEL, title: 'Live!' });
  });
  const online = await t.events.waitFor('stream.online');
  expect(online.streamId).toMatch(/\S/);
  await expect(source.resolve('daniel', { signal: signal() })).resolves.toEqual({ url: STREAM, via: 'streamlink' });
  fake.endStream(online.streamId!);
  await t.events.waitFor('stream.offline', undefined, 10_000);
  await source.resolve('daniel', { signal: signal() });
  expect(streamlink.calls()).toEqual([
    ['--http-no-ssl-verify', '--stream-url', `https://www.youtube.com/watch?v=${online.streamId}`, '720p'],
    ['--http-no-ssl-verify', '--stream-url', `https://www.youtube.com/channel/${CHANNEL}/live`, '720p'],
  ]);
  // The signed URL is registered as a secret: a log line quoting it is masked.
  expect(t.kernel.resolve(secretsRef).redactString(`capturing ${STREAM}`)).not.toContain('SIGNATUREabcdef123456');
  await t.stop();
});

it('a creator configured with a videoId opens that video; defaults are streamlink on PATH and quality best', async () => {
  const dir = temp.make();
  const streamlink = writeStandInStreamlink(dir, { prints: STREAM });
  const saved = process.env.PATH;
  process.env.PATH = `${dir}:${saved ?? ''}`;
  try {
    const { t, source } = await start({}, { videoId: 'abcdefghijk' });
    await source.resolve('daniel', { signal: signal() });
    await t.stop();
  } finally {
    process.env.PATH = saved;
  }
  expect(streamlink.calls()).toEqual([['--stream-url', 'https://www.youtube.com/watch?v=abcdefghijk', 'best']]);
});

it('no page to open (liveChatId only, unknown or stopped creator): SS_ERR_STREAMLINK_NOT_LIVE without running streamlink', async () => {
  const streamlink = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const { t, source } = await start({ path: streamlink.path }, { liveChatId: 'Cg0KC2xpdmVjaGF0aWQx' });
  await expect(source.resolve('daniel', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_NOT_LIVE' });
  await expect(source.resolve('nobody', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_NOT_LIVE' });
  await t.stop();
  const second = await start({ path: streamlink.path }, { channelId: CHANNEL });
  await second.t.stop();
  await expect(second.source.resolve('daniel', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_NOT_LIVE' });
  expect(streamlink.calls()).toEqual([]);
});

it('a missing streamlink is SS_ERR_STREAMLINK_MISSING', async () => {
  const { t, source } = await start({ path: `${temp.make()}/streamlink` }, { channelId: CHANNEL });
  await expect(source.resolve('daniel', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_MISSING' });
  await t.stop();
});

it('the manifest refuses an unknown streamlink key', async () => {
  await expect(start({ timeout: 5 }, { channelId: CHANNEL })).rejects.toThrow(/timeout/);
});
