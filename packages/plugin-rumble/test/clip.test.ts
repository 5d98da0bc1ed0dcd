import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import clipsPlugin, { probe } from '@streamsuites/plugin-clips';
import { startLocalHlsStream } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fakeApi, startRumble, tempDir, until } from './helpers.js';

const KEY = 'clipCreatorKey_0123456789abc';

describe('!clip on a Rumble creator without a capture URL', () => {
  it('captures the live stream found through the embed metadata (with its Referer) and publishes the clip; the tokenized URL stays secret', async () => {
    const hls = await startLocalHlsStream({ requireHeaders: { Referer: 'https://rumble.com/' } });
    onTestFinished(() => hls.stop());
    const fake = await fakeApi();
    const channel = fake.addChannel(KEY, { username: 'MayaLive' });
    const dataDir = tempDir();
    const published = tempDir();
    const t = await startRumble({
      fake,
      dataDir,
      plugins: [clipsPlugin],
      extraPlugins: { clips: { config: { maxClipSec: 10, destinations: { destination: { kind: 'local', options: { dir: published } } } } } },
      creators: {
        maya: {
          key: KEY,
          enable: ['rumble', 'clips'],
          other: { clips: { replyWhenPublished: false } },
          triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}' } }] }],
        },
      },
    });
    const { id } = channel.goLive({ title: 'clip me' });
    fake.setStreamUrl(id, hls.url);
    await t.events.waitFor('stream.online');
    const playlist = join(dataDir, 'clips', 'buffer', 'maya', 'index.m3u8');
    await until('4 segments captured', () => existsSync(playlist) && (readFileSync(playlist, 'utf8').match(/#EXTINF/g)?.length ?? 0) >= 4, 30_000);

    channel.say({ username: 'Anna', text: '!clip 3' });
    const done = await t.events.waitFor('clip.state', (e) => e.state === 'published' || e.state === 'failed', 30_000);
    expect(done.state, done.reason).toBe('published');
    expect(done.platform).toBe('rumble');
    const media = await probe(join(published, `${done.clipId}.mp4`));
    expect(media).toMatchObject({ hasVideo: true, videoCodec: 'h264' });
    expect(Math.abs(media.durationSec - 3)).toBeLessThanOrEqual(1);
    // ffmpeg sent Rumble's Referer with every request: the CDN refused none.
    expect(hls.requests().filter((r) => r.status !== 200)).toEqual([]);
    expect(fake.requests().some((r) => r.path === '/embedJS/u3/')).toBe(true);

    channel.goOffline();
    await until('capture stopped with the stream', () => !existsSync(playlist), 15_000);
    await t.stop();
    const token = new URL(hls.url).searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(5);
    expect(t.logs.text()).not.toContain(token);
    expect(JSON.stringify(t.events.events)).not.toContain(token);
  }, 60_000);
});
