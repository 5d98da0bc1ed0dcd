import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionDispatcherRef, definePlugin, jobRegistryRef, type ChatMessage } from '@streamsuites/kernel';
import { chatMessage, createTempDirs, startTestKernel } from '@streamsuites/testing';
import exportsPlugin from '@streamsuites/plugin-exports';
import { afterEach, describe, expect, it, vi } from 'vitest';
import clipsPlugin, { probe, type ClipStateEvent } from '../src/index.js';

const temp = createTempDirs('ss-clips-plugin-');
afterEach(() => temp.removeAll());

/** Stands in for a platform plugin's chat.reply: records what the bot would say. */
function fakeChat(replies: string[]) {
  return definePlugin({
    id: 'fakechat',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init: ({ deps }) => void deps.actions.registerHandler<{ text: string }>({ type: 'chat.reply', platform: 'twitch', handle: (p) => void replies.push(p.text) }),
      });
    },
  });
}

/** Every string inside a JSON value (keys excluded). */
function stringValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringValues);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringValues);
  return [];
}

/** Pre-started ffmpegs (FfmpegEncoder prestart) writing into `dir` (Linux /proc; [] elsewhere). */
function prestartedIn(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((arg) => arg.startsWith(`file:${join(dir, '.ffmpeg-prestart-')}`))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const message = (creatorId: string, text: string): ChatMessage =>
  chatMessage({ creatorId, text, author: { id: 'u1', login: 'viewer_anna', displayName: 'Anna' } });

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
      // The next copy cut's ffmpeg waits, started (stopped with the plugin, below).
      if (process.platform === 'linux') expect(prestartedIn(join(dataDir, 'clips', 'output'))).toHaveLength(1);
      // The steps ran as jobs on the kernel's registry (jobRegistryRef), for the creator, naming only the clip.
      const registry = t.kernel.resolve(jobRegistryRef);
      await vi.waitFor(async () => {
        for (const type of ['clips.encode', 'clips.upload']) {
          expect(await registry.list({ type })).toEqual([expect.objectContaining({ state: 'succeeded', attempts: 1, creatorId: 'daniel', payload: { clipId: done.clipId } })]);
        }
      });
    } finally {
      await t.stop();
    }
    expect(prestartedIn(join(dataDir, 'clips', 'output'))).toEqual([]);
    const exported = JSON.parse(readFileSync(join(dataDir, 'state', 'runtime', 'exports', 'clips.json'), 'utf8')) as { clips: { id: string; title: string; state: string; url?: string; video?: string; poster?: string }[] };
    expect(exported.clips).toEqual([expect.objectContaining({ title: 'what a play', state: 'published', url: expect.stringMatching(/^https:\/\/clips\.example\//) })]);
    // Its mp4 and poster under the exports root, for the dashboard (paths relative to the root).
    const id = exported.clips[0]!.id;
    expect(exported.clips[0]).toMatchObject({ video: `runtime/media/clips/${id}.mp4`, poster: `runtime/media/clips/${id}.jpg` });
    const media = join(dataDir, 'state', 'runtime', 'media', 'clips');
    expect(readdirSync(media).sort()).toEqual([`${id}.jpg`, `${id}.mp4`]);
    expect(readFileSync(join(media, `${id}.mp4`)).equals(readFileSync(join(dataDir, 'clips', 'output', `${id}.mp4`)))).toBe(true);
    expect(readFileSync(join(media, `${id}.jpg`)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const admin = JSON.parse(readFileSync(join(dataDir, 'state', 'runtime', 'admin', 'clip_jobs.json'), 'utf8')) as { jobs: { state: string }[] };
    expect(admin.jobs.map((j) => j.state)).toEqual(['published']);
  }, 60_000);

  it('public exports hold no local paths: a local folder\'s clip is public by id only, an HTTP destination\'s clip by its public URL', async () => {
    const dataDir = temp.make();
    const folder = temp.make();
    const uploads: string[] = [];
    // An upload endpoint answering with the clip's public URL (as a CDN or a video host would).
    const server = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData();
        const clipId = String(form.get('clipId'));
        uploads.push(clipId);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ url: `https://cdn.example/clips/${clipId}.mp4` }));
      })();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
    const replies: string[] = [];
    const capture = { capture: { input: { args: LAVFI }, always: true, codecs: 'encode' } };
    const clipTrigger = [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: 2 } }] }];
    const t = await startTestKernel({
      plugins: [clipsPlugin, exportsPlugin, fakeChat(replies)],
      manifest: {
        dataDir,
        plugins: { fakechat: {}, exports: { config: { mirror: false, debounceMs: 50 } }, clips: { config: { maxClipSec: 10 } } },
        creators: {
          daniel: {
            enable: ['clips', 'exports', 'fakechat'],
            config: { clips: { ...capture, destination: { kind: 'local', options: { dir: folder } } } },
            triggers: clipTrigger,
          },
          maya: {
            enable: ['clips', 'exports', 'fakechat'],
            config: { clips: { ...capture, destination: { kind: 'http', options: { url: endpoint } } } },
            triggers: clipTrigger,
          },
        },
      },
    });
    const published = new Map<string, ClipStateEvent>();
    try {
      const deadline = Date.now() + 30_000;
      for (const creator of ['daniel', 'maya']) {
        const playlist = join(dataDir, 'clips', 'buffer', creator, 'index.m3u8');
        while (Date.now() < deadline && (!existsSync(playlist) || (readFileSync(playlist, 'utf8').match(/#EXTINF/g)?.length ?? 0) < 4)) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      for (const creator of ['daniel', 'maya']) {
        t.bus.emit('chat.message', message(creator, '!clip'));
        const done = await t.events.waitFor('clip.state', (e) => e.creatorId === creator && (e.state === 'published' || e.state === 'failed'), 30_000);
        expect(done.state, done.reason).toBe('published');
        published.set(creator, done);
      }
      while (replies.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await t.stop();
      server.closeAllConnections();
      server.close();
    }
    const local = published.get('daniel')!;
    const http = published.get('maya')!;
    expect(local.url).toMatch(/^file:\/\//); // the destination's own URL, inside the process only
    expect(existsSync(join(folder, `${local.clipId}.mp4`))).toBe(true);
    expect(uploads).toEqual([http.clipId]);
    // Chat is public too: the public URL, or the clip's id.
    expect(replies.sort()).toEqual([`Clip ready: ${local.clipId}`, `Clip ready: https://cdn.example/clips/${http.clipId}.mp4`].sort());

    const text = readFileSync(join(dataDir, 'state', 'runtime', 'exports', 'clips.json'), 'utf8');
    const exported = JSON.parse(text) as { meta: { visibility: string }; clips: { id: string; creator: string; state: string; url?: string }[] };
    expect(exported.meta.visibility).toBe('public');
    expect(exported.clips).toHaveLength(2);
    expect(exported.clips.find((c) => c.creator === 'maya')).toMatchObject({ id: http.clipId, state: 'published', url: `https://cdn.example/clips/${http.clipId}.mp4` });
    const byId = exported.clips.find((c) => c.creator === 'daniel')!;
    expect(byId).toMatchObject({ id: local.clipId, state: 'published' });
    expect(byId).not.toHaveProperty('url');
    const localLooking = stringValues(exported).filter((value) => value.startsWith('/') || /^[A-Za-z]:\\/.test(value) || value.includes('file:'));
    expect(localLooking).toEqual([]);
    for (const dir of [dataDir, folder, tmpdir()]) expect(text).not.toContain(dir);
    // clip_jobs.json (dashboard-only, mirrored off the machine) holds none either.
    const admin = readFileSync(join(dataDir, 'state', 'runtime', 'admin', 'clip_jobs.json'), 'utf8');
    for (const dir of [dataDir, folder, 'file:']) expect(admin).not.toContain(dir);
  }, 90_000);

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
