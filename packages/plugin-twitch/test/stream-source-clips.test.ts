// End to end: a Twitch creator on the local Twitch chat server, clips
// captured from the stream the Twitch plugin resolves with (a stand-in)
// streamlink — no capture.input anywhere — and a `!clip` in chat published
// as an mp4 of the asked length.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDispatcherRef } from '@streamsuites/kernel';
import clipsPlugin, { probe } from '@streamsuites/plugin-clips';
import { writeStandInStreamlink, type StandInStreamlink } from '@streamsuites/streamlink/testing';
import { createTempDirs, startLocalHlsStream, startTestKernel, type LocalHlsStream } from '@streamsuites/testing';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import twitchPlugin from '../src/index.js';
import { startFakeTwitchChat, type FakeTwitchChat } from '../src/testing.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123';
const temp = createTempDirs('ss-twitch-clips-');
const fakes: FakeTwitchChat[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});
afterAll(() => temp.removeAll());

let stream: LocalHlsStream;
beforeAll(async () => {
  stream = await startLocalHlsStream();
}, 30_000);
afterAll(() => stream?.stop());

function segmentsIn(playlist: string): number {
  if (!existsSync(playlist)) return 0;
  return readFileSync(playlist, 'utf8').match(/#EXTINF/g)?.length ?? 0;
}

async function boot(streamlinkPath: string) {
  const fake = await startFakeTwitchChat();
  fakes.push(fake);
  const dataDir = temp.make();
  const published = temp.make();
  const t = await startTestKernel({
    plugins: [twitchPlugin, clipsPlugin],
    env: { TWITCH_TOKEN: TOKEN },
    manifest: {
      dataDir,
      plugins: {
        twitch: { config: { chatUrl: fake.url, redundancy: 1, streamlink: { path: streamlinkPath, timeoutSec: 10 } } },
        clips: { config: { maxClipSec: 10, destinations: { destination: { kind: 'local', options: { dir: published } } } } },
      },
      creators: {
        daniel: {
          enable: ['twitch', 'clips'],
          config: {
            twitch: { channel: 'Daniel', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' },
            // No capture.input: the Twitch plugin's stream source, from the creator's start.
            clips: { capture: { source: 'twitch', always: true }, replyText: 'Clip ready: {id}' },
          },
          triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}' } }] }],
        },
      },
    },
  });
  await fake.until(() => fake.clients().some((c) => c.registered && c.channels.includes('daniel')), { message: 'the bot joined #daniel' });
  const buffer = join(dataDir, 'clips', 'buffer', 'daniel', 'index.m3u8');
  return { t, fake, published, buffer };
}

it('!clip in Twitch chat → a published mp4 of the asked length, cut from the stream streamlink resolved; the stream token is in no log', async () => {
  const streamlink: StandInStreamlink = writeStandInStreamlink(temp.make(), { prints: stream.url });
  const { t, fake, published, buffer } = await boot(streamlink.path);

  await vi.waitFor(() => expect(segmentsIn(buffer)).toBeGreaterThanOrEqual(4), { timeout: 20_000, interval: 50 });
  expect(streamlink.calls()[0]).toEqual(['--stream-url', 'https://www.twitch.tv/daniel', 'best']);

  fake.say('daniel', 'viewer', '!clip 3');
  const done = await t.events.waitFor('clip.state', (e) => e.state === 'published' || e.state === 'failed', 30_000);
  expect(done.state, done.reason).toBe('published');
  const file = join(published, `${done.clipId}.mp4`);
  expect(existsSync(file)).toBe(true);
  const media = await probe(file);
  expect(media).toMatchObject({ hasVideo: true, videoCodec: 'h264' });
  expect(Math.abs(media.durationSec - 3)).toBeLessThanOrEqual(1);
  // The reply went back to the Twitch chat the clip was asked in.
  await fake.until(() => fake.sent('daniel').length > 0, { message: 'the clip reply in #daniel' });
  expect(fake.sent('daniel')).toEqual([`Clip ready: ${done.clipId}`]);
  // ffmpeg read the resolved, tokenized URL: the local CDN answered it.
  expect(stream.requests().some((r) => r.path.endsWith('.ts') && r.status === 200)).toBe(true);

  await t.stop();
  expect(t.logs.text()).not.toContain(stream.token);
  expect(JSON.stringify(t.events.of('clip.state'))).not.toContain(stream.token);
}, 60_000);

it('without streamlink installed, a clip request is SS_ERR_CLIP_NOT_LIVE giving SS_ERR_STREAMLINK_MISSING as the reason', async () => {
  const { t } = await boot(join(temp.make(), 'streamlink'));
  const dispatcher = t.kernel.resolve(actionDispatcherRef);
  const record = await vi.waitFor(
    async () => {
      const r = await dispatcher.dispatch({ type: 'clip.create', params: { seconds: 2 } }, { creatorId: 'daniel' });
      expect(r.error?.cause?.message).toContain('SS_ERR_STREAMLINK_MISSING');
      return r;
    },
    { timeout: 10_000, interval: 100 },
  );
  expect(record.error?.cause).toMatchObject({
    code: 'SS_ERR_CLIP_NOT_LIVE',
    message: expect.stringContaining('the twitch stream could not be resolved: SS_ERR_STREAMLINK_MISSING'),
  });
  expect(t.events.of('clip.state').filter((e) => e.state === 'published')).toEqual([]);
  await t.stop();
}, 30_000);
