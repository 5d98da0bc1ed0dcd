import { secretsRef, streamSourcesExtensionPoint } from '@streamsuites/kernel';
import { writeStandInStreamlink } from '@streamsuites/streamlink/testing';
import { createTempDirs, extensionProbe, startTestKernel } from '@streamsuites/testing';
import { afterEach, expect, it } from 'vitest';
import twitchPlugin, { twitchPageUrl } from '../src/index.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
// The token in the path, where the kernel's URL-parameter redaction cannot guess it.
const STREAM = 'https://video-weaver.example.net/v1/playlist/playbacktoken123456.m3u8';
const temp = createTempDirs('ss-twitch-streamlink-');
const fakes: FakeTwitchChat[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
  temp.removeAll();
});

async function start(streamlink: Record<string, unknown>, creators: Record<string, string>) {
  const fake = await startFakeTwitchChat();
  fakes.push(fake);
  const probe = extensionProbe(streamSourcesExtensionPoint);
  const t = await startTestKernel({
    plugins: [twitchPlugin, probe.plugin],
    env: { TWITCH_TOKEN: TOKEN },
    manifest: {
      plugins: { twitch: { config: { chatUrl: fake.url, redundancy: 1, streamlink } }, probe: {} },
      creators: Object.fromEntries(
        Object.entries(creators).map(([id, channel]) => [
          id,
          { enable: ['twitch', 'probe'], config: { twitch: { channel, botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } } },
        ]),
      ),
    },
  });
  const twitch = probe.contributions().filter((s) => s.pluginId === 'twitch');
  expect(twitch).toHaveLength(1);
  return { t, source: twitch[0]!.value };
}

const signal = () => new AbortController().signal;

it('twitchPageUrl is the channel page, lower-cased', () => {
  expect(twitchPageUrl('Alice_TV')).toBe('https://www.twitch.tv/alice_tv');
});

it('resolves a creator through streamlink on their channel page, with the configured quality, arguments and path', async () => {
  const streamlink = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const { t, source } = await start(
    { path: streamlink.path, quality: '720p60,best', extraArgs: ['--twitch-disable-ads'], timeoutSec: 5 },
    { daniel: 'Daniel_Live', other: 'someoneelse' },
  );
  expect(source.platform).toBe('twitch');
  await expect(source.resolve('daniel', { signal: signal() })).resolves.toEqual({ url: STREAM, via: 'streamlink' });
  await expect(source.resolve('other', { signal: signal() })).resolves.toEqual({ url: STREAM, via: 'streamlink' });
  expect(streamlink.calls()).toEqual([
    ['--twitch-disable-ads', '--stream-url', 'https://www.twitch.tv/daniel_live', '720p60,best'],
    ['--twitch-disable-ads', '--stream-url', 'https://www.twitch.tv/someoneelse', '720p60,best'],
  ]);
  // The playback token is registered as a secret: a log line quoting the URL is masked.
  expect(t.kernel.resolve(secretsRef).redactString(`capturing ${STREAM}`)).not.toContain('playbacktoken123456');
  await t.stop();
});

it('defaults: streamlink on PATH, quality best', async () => {
  const dir = temp.make();
  const streamlink = writeStandInStreamlink(dir, { prints: STREAM });
  const saved = process.env.PATH;
  process.env.PATH = `${dir}:${saved ?? ''}`;
  try {
    const { t, source } = await start({}, { daniel: 'daniel' });
    await expect(source.resolve('daniel', { signal: signal() })).resolves.toMatchObject({ url: STREAM });
    await t.stop();
  } finally {
    process.env.PATH = saved;
  }
  expect(streamlink.calls()).toEqual([['--stream-url', 'https://www.twitch.tv/daniel', 'best']]);
});

it('a creator the plugin does not serve (unknown, or stopped) gets SS_ERR_STREAMLINK_NOT_LIVE without running streamlink', async () => {
  const streamlink = writeStandInStreamlink(temp.make(), { prints: STREAM });
  const { t, source } = await start({ path: streamlink.path }, { daniel: 'daniel' });
  await expect(source.resolve('nobody', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_NOT_LIVE' });
  await t.stop();
  await expect(source.resolve('daniel', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_NOT_LIVE' });
  expect(streamlink.calls()).toEqual([]);
});

it('an offline channel and a missing streamlink are coded errors', async () => {
  const offline = writeStandInStreamlink(temp.make(), { fails: { exitCode: 1, output: 'error: No playable streams found on this URL: https://www.twitch.tv/daniel' } });
  const first = await start({ path: offline.path }, { daniel: 'daniel' });
  await expect(first.source.resolve('daniel', { signal: signal() })).rejects.toMatchObject({
    code: 'SS_ERR_STREAMLINK_FAILED',
    details: { offline: true },
  });
  await first.t.stop();
  const second = await start({ path: `${temp.make()}/streamlink` }, { daniel: 'daniel' });
  await expect(second.source.resolve('daniel', { signal: signal() })).rejects.toMatchObject({ code: 'SS_ERR_STREAMLINK_MISSING' });
  await second.t.stop();
});

it('the manifest refuses an unknown streamlink key', async () => {
  await expect(start({ qualty: 'best' }, { daniel: 'daniel' })).rejects.toThrow(/qualty/);
});
