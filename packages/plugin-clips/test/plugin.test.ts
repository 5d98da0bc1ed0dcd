import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDispatcherRef, definePlugin, type ChatMessage } from '@streamsuites/kernel';
import { createTempDirs, startTestKernel } from '@streamsuites/kernel/testing';
import exportsPlugin from '@streamsuites/plugin-exports';
import { afterEach, describe, expect, it } from 'vitest';
import clipsPlugin, { probe } from '../src/index.js';

const temp = createTempDirs('ss-clips-plugin-');
afterEach(() => temp.removeAll());

/** Stands in for a platform plugin's chat.reply: records what the bot would say. */
function fakeChat(replies: string[]) {
  return definePlugin({
    id: 'fakechat',
    version: '1.0.0',
    kernel: '^0.1.0',
    register(reg) {
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init: ({ deps }) => void deps.actions.registerHandler<{ text: string }>({ type: 'chat.reply', platform: 'twitch', handle: (p) => void replies.push(p.text) }),
      });
    },
  });
}

let n = 0;
const message = (creatorId: string, text: string): ChatMessage => ({
  id: `m${++n}`,
  platform: 'twitch',
  creatorId,
  channel: creatorId,
  receivedAt: Date.now(),
  sentAt: Date.now(),
  author: { id: 'u1', login: 'viewer_anna', displayName: 'Anna', roles: [] },
  text,
  isAction: false,
});

const LAVFI = ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'];

describe('plugin-clips end to end', () => {
  it('!clip 2 on a live capture: cut by stream copy, verified, published to the local folder, replied in chat, exported', async () => {
    const dataDir = temp.make();
    const published = temp.make();
    const replies: string[] = [];
    const t = await startTestKernel({
      plugins: [clipsPlugin, exportsPlugin, fakeChat(replies)],
      manifest: {
        dataDir,
        plugins: {
          fakechat: {},
          exports: { config: { mirror: false, debounceMs: 50 } },
          clips: { config: { maxClipSec: 10, destinations: { destination: { kind: 'local', options: { dir: published, publicBaseUrl: 'https://clips.example/' } } } } },
        },
        creators: {
          daniel: {
            enable: ['clips', 'exports', 'fakechat'],
            config: { clips: { capture: { input: { args: LAVFI }, always: true, codecs: 'encode' } } },
            triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}', title: '{args:2}' } }] }],
          },
          maya: {
            enable: ['clips', 'exports', 'fakechat'],
            triggers: [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: 5 } }] }],
          },
        },
      },
    });
    try {
      // Maya has no capture: not live.
      t.bus.emit('chat.message', message('maya', '!clip'));
      const refused = await t.events.waitFor('action.failed', (e) => e.creatorId === 'maya', 10_000);
      expect(refused.error.cause?.code).toBe('SS_ERR_CLIP_NOT_LIVE');

      // Wait for 3 s of buffer, then clip.
      const deadline = Date.now() + 20_000;
      const playlist = join(dataDir, 'clips', 'buffer', 'daniel', 'index.m3u8');
      while (Date.now() < deadline && (!existsSync(playlist) || (readFileSync(playlist, 'utf8').match(/#EXTINF/g)?.length ?? 0) < 4)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      t.bus.emit('chat.message', message('daniel', '!clip 2 what a play'));
      const done = await t.events.waitFor('clip.state', (e) => e.state === 'published' || e.state === 'failed', 30_000);
      expect(done.state, done.reason).toBe('published');
      const states = t.events.of('clip.state').filter((e) => e.clipId === done.clipId).map((e) => e.state);
      expect(states).toEqual(['queued', 'encoding', 'encoded', 'uploading', 'published']);
      expect(done.url).toBe(`https://clips.example/${done.clipId}.mp4`);
      const file = join(published, `${done.clipId}.mp4`);
      const media = await probe(file);
      expect(media.hasVideo && media.hasAudio).toBe(true);
      expect(Math.abs(media.durationSec - 2)).toBeLessThanOrEqual(1);
      while (replies.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(replies).toEqual([`Clip ready: https://clips.example/${done.clipId}.mp4`]);
    } finally {
      await t.stop();
    }
    const exported = JSON.parse(readFileSync(join(dataDir, 'state', 'runtime', 'exports', 'clips.json'), 'utf8')) as { clips: { id: string; title: string; state: string; url?: string }[] };
    expect(exported.clips).toEqual([expect.objectContaining({ title: 'what a play', state: 'published', url: expect.stringMatching(/^https:\/\/clips\.example\//) })]);
    const admin = JSON.parse(readFileSync(join(dataDir, 'state', 'runtime', 'admin', 'clip_jobs.json'), 'utf8')) as { jobs: { state: string }[] };
    expect(admin.jobs.map((j) => j.state)).toEqual(['published']);
  }, 60_000);

  it('captures only while live: stream.online starts it, stream.offline stops and removes the buffer, and it starts again', async () => {
    const dataDir = temp.make();
    const t = await startTestKernel({
      plugins: [clipsPlugin],
      manifest: {
        dataDir,
        plugins: { clips: { config: { maxClipSec: 10, destinations: { destination: { kind: 'local', options: { dir: temp.make() } } } } } },
        creators: { daniel: { enable: ['clips'], config: { clips: { capture: { input: { args: LAVFI }, codecs: 'encode' } } } } },
      },
    });
    const playlist = join(dataDir, 'clips', 'buffer', 'daniel', 'index.m3u8');
    const until = async (what: string, check: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const online = { creatorId: 'daniel', platform: 'twitch', channel: 'daniel', at: Date.now() };
    try {
      expect(existsSync(playlist)).toBe(false); // not live yet: nothing captured
      for (let session = 1; session <= 2; session++) {
        t.bus.emit('stream.online', online);
        await until(`capture ${session} running`, () => existsSync(playlist));
        t.bus.emit('stream.offline', online);
        await until(`capture ${session} stopped`, () => !existsSync(playlist));
      }
      expect(t.events.of('kernel.listener.error')).toEqual([]);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it('a missing ffmpeg fails the plugin with SS_ERR_CLIPS_FFMPEG_MISSING and its install hint; the runtime keeps running', async () => {
    const t = await startTestKernel({
      plugins: [clipsPlugin],
      manifest: { dataDir: temp.make(), plugins: { clips: { config: { ffmpegPath: '/nonexistent/ffmpeg' } } }, creators: { daniel: { enable: ['clips'] } } },
    });
    try {
      const failed = t.events.of('kernel.plugin.failed');
      expect(failed.map((f) => [f.pluginId, f.phase])).toEqual([['clips', 'init']]);
      expect(t.logs.text()).toContain('SS_ERR_CLIPS_FFMPEG_MISSING');
      expect(t.kernel.status().state).toBe('running');
    } finally {
      await t.stop();
    }
  });
});
