import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionDispatcherRef, defineError, definePlugin, streamSourcesExtensionPoint, type AnyPlugin, type LiveStreamInput, type StreamSource } from '@streamsuites/kernel';
import exportsPlugin from '@streamsuites/plugin-exports';
import { chatMessage, createTempDirs, startLocalHlsStream, startTestKernel, type LocalHlsStream, type TestKernel } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import clipsPlugin, { describeArgs, headerInputArgs, liveCaptureInput, liveInputSecrets, probe, SS_ERR_CLIP_NOT_LIVE } from '../src/index.js';

const temp = createTempDirs('ss-clips-source-');
afterAll(() => temp.removeAll());

/** The CDN wants this header on every request (as Rumble / YouTube CDNs want a Referer or a cookie). */
const AUTH = { 'X-Clip-Auth': 'hdr-secret-7f3a9c' };

let stream: LocalHlsStream;
beforeAll(async () => {
  stream = await startLocalHlsStream({ requireHeaders: AUTH });
}, 30_000);
afterAll(() => stream?.stop());

const SS_ERR_FAKE_OFFLINE = defineError('SS_ERR_FAKE_OFFLINE', (creatorId: string) => `creator "${creatorId}" is offline on the fake platform`);

/** A platform plugin contributing only its stream source. */
function sourcePlugin(id: string, ...sources: StreamSource[]) {
  return definePlugin({
    id,
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      for (const source of sources) reg.extend(streamSourcesExtensionPoint, source);
    },
  });
}

interface Calls {
  creators: string[];
  signals: AbortSignal[];
}

function source(platform: string, answer: (call: number) => LiveStreamInput | Promise<LiveStreamInput>): StreamSource & { calls: Calls } {
  const calls: Calls = { creators: [], signals: [] };
  return {
    platform,
    calls,
    resolve: async (creatorId, { signal }) => {
      calls.creators.push(creatorId);
      calls.signals.push(signal);
      return answer(calls.creators.length);
    },
  };
}

const live = (): LiveStreamInput => ({ url: stream.url, headers: AUTH, via: 'test cdn' });
const CLIP = [{ type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: '{arg1}' } }] }];

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function segmentsIn(playlist: string): number {
  if (!existsSync(playlist)) return 0;
  return readFileSync(playlist, 'utf8').match(/#EXTINF/g)?.length ?? 0;
}

async function boot(plugins: readonly AnyPlugin[], creators: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const dataDir = temp.make();
  const published = temp.make();
  const t = await startTestKernel({
    plugins: [clipsPlugin, ...plugins],
    manifest: {
      dataDir,
      plugins: {
        ...extra,
        clips: { config: { maxClipSec: 10, destinations: { destination: { kind: 'local', options: { dir: published } } } } },
      },
      creators,
    },
  });
  const buffer = (creator: string) => join(dataDir, 'clips', 'buffer', creator, 'index.m3u8');
  return { t, dataDir, published, buffer };
}

/** clip.create through the action dispatcher: the record (`result` is the clip id, `error` the serialized failure). */
function clip(t: TestKernel, creatorId: string, seconds: number) {
  return t.kernel.resolve(actionDispatcherRef).dispatch({ type: 'clip.create', params: { seconds } }, { creatorId });
}

/** The clip's final state event. */
function finished(t: TestKernel, clipId: string) {
  return t.events.waitFor('clip.state', (e) => e.clipId === clipId && (e.state === 'published' || e.state === 'failed'), 30_000);
}

/** Every string the test must never find outside the source: the tokenized URL, its token, the header value. */
const secrets = () => [stream.url, stream.token, AUTH['X-Clip-Auth']];

describe('capture from a platform plugin\'s stream source', () => {
  it('stream.online → the source is resolved → ffmpeg reads it with the headers → !clip publishes an mp4 of the asked length; the URL, token and header never reach logs, clip.state or exports', async () => {
    const rumble = source('rumble', live);
    const seen = stream.requests().length;
    const { t, dataDir, published, buffer } = await boot(
      [sourcePlugin('fakerumble', rumble), exportsPlugin],
      { daniel: { enable: ['clips', 'exports'], config: { clips: { replyWhenPublished: false } }, triggers: CLIP } },
      { fakerumble: {}, exports: { config: { mirror: false, debounceMs: 50 } } },
    );
    // Not live yet: no reason to give, and nothing resolved.
    const before = await clip(t, 'daniel', 2);
    expect(before.error?.cause).toMatchObject({ code: 'SS_ERR_CLIP_NOT_LIVE', message: 'creator "daniel" is not live: there is no stream to clip' });
    expect(rumble.calls.creators).toEqual([]);

    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'rumble', channel: 'daniel', at: Date.now() });
    await until('4 segments captured', () => segmentsIn(buffer('daniel')) >= 4);
    expect(rumble.calls.creators).toEqual(['daniel']);
    expect(rumble.calls.signals[0]!.aborted).toBe(false);

    t.bus.emit('chat.message', chatMessage({ creatorId: 'daniel', platform: 'rumble', text: '!clip 3' }));
    const done = await t.events.waitFor('clip.state', (e) => e.state === 'published' || e.state === 'failed', 30_000);
    expect(done.state, done.reason).toBe('published');
    const media = await probe(join(published, `${done.clipId}.mp4`));
    expect(media).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
    expect(Math.abs(media.durationSec - 3)).toBeLessThanOrEqual(1);

    // ffmpeg (and ffprobe) sent the header with the playlist and with every segment: the CDN never refused one.
    const requests = stream.requests().slice(seen);
    expect(requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(requests.some((r) => r.path.endsWith('.ts'))).toBe(true);
    expect(t.logs.lines).toContainEqual(expect.objectContaining({ msg: 'clip capture input resolved', platform: 'rumble', via: 'test cdn' }));

    // Offline of that platform: the capture stops (its buffer removed) and the source's signal is aborted.
    t.bus.emit('stream.offline', { creatorId: 'daniel', platform: 'rumble', channel: 'daniel', at: Date.now() });
    await until('buffer removed', () => !existsSync(buffer('daniel')));
    expect(rumble.calls.signals[0]!.aborted).toBe(true);
    await t.stop();

    const exported = readFileSync(join(dataDir, 'state', 'runtime', 'exports', 'clips.json'), 'utf8');
    const states = JSON.stringify(t.events.of('clip.state'));
    for (const secret of secrets()) {
      expect(t.logs.text()).not.toContain(secret);
      expect(states).not.toContain(secret);
      expect(exported).not.toContain(secret);
    }
  }, 60_000);

  it('the capture belongs to the platform it reads: another platform\'s offline leaves it running, a platform without a source starts nothing', async () => {
    const rumble = source('rumble', live);
    const { t, buffer } = await boot([sourcePlugin('fakerumble', rumble)], { daniel: { enable: ['clips'] } }, { fakerumble: {} });
    const status = (platform: string) => ({ creatorId: 'daniel', platform, channel: 'daniel', at: Date.now() });

    t.bus.emit('stream.online', status('twitch')); // no twitch source: nothing to capture
    expect((await clip(t, 'daniel', 2)).error?.cause?.code).toBe('SS_ERR_CLIP_NOT_LIVE');
    expect(rumble.calls.creators).toEqual([]);

    t.bus.emit('stream.online', status('rumble'));
    await until('3 segments captured', () => segmentsIn(buffer('daniel')) >= 3);
    t.bus.emit('stream.offline', status('twitch'));
    const kept = await clip(t, 'daniel', 1);
    expect(kept.error, JSON.stringify(kept.error)).toBeUndefined();
    expect((await finished(t, String(kept.result))).state).toBe('published');
    expect(existsSync(buffer('daniel'))).toBe(true);

    t.bus.emit('stream.offline', status('rumble'));
    expect((await clip(t, 'daniel', 2)).error?.cause?.code).toBe('SS_ERR_CLIP_NOT_LIVE');
    await until('buffer removed', () => !existsSync(buffer('daniel')));
    expect(rumble.calls.creators).toEqual(['daniel']);
  }, 60_000);

  it('a source that rejects: the capture retries with backoff, and clip.create answers SS_ERR_CLIP_NOT_LIVE with the reason', async () => {
    const rumble = source('rumble', () => {
      throw new SS_ERR_FAKE_OFFLINE('daniel');
    });
    const { t } = await boot([sourcePlugin('fakerumble', rumble)], { daniel: { enable: ['clips'] } }, { fakerumble: {} });
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'rumble', channel: 'daniel', at: Date.now() });
    await until('resolved twice (a restart)', () => rumble.calls.creators.length >= 2);
    const refused = await clip(t, 'daniel', 5);
    expect(refused.error?.cause).toMatchObject({
      code: 'SS_ERR_CLIP_NOT_LIVE',
      message: 'creator "daniel" has no stream to clip: the rumble stream could not be resolved: SS_ERR_FAKE_OFFLINE: creator "daniel" is offline on the fake platform',
    });
    expect(t.logs.lines).toContainEqual(expect.objectContaining({ msg: 'clip capture restarting', reason: expect.stringContaining('SS_ERR_FAKE_OFFLINE') }));
  }, 30_000);

  it('every restart resolves again: a refused URL, then a resolver error quoting its token, then a fresh URL that captures; no token is ever printed', async () => {
    const stale = stream.url.replace(stream.token, 'stale-token-0a1b2c3d');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let thirdCalled!: () => void;
    const thirdCall = new Promise<void>((resolve) => (thirdCalled = resolve));
    const rumble = source('rumble', async (call) => {
      if (call === 1) return { url: stale, headers: AUTH, via: 'test cdn' }; // the CDN answers 403: ffmpeg exits
      if (call === 2) throw new Error(`session stale-token-0a1b2c3d expired (header ${AUTH['X-Clip-Auth']})`); // a resolver quoting what it handed out
      thirdCalled();
      await released;
      return live();
    });
    const { t, buffer } = await boot([sourcePlugin('fakerumble', rumble)], { daniel: { enable: ['clips'] } }, { fakerumble: {} });
    const seen = stream.requests().length;
    t.bus.emit('stream.online', { creatorId: 'daniel', platform: 'rumble', channel: 'daniel', at: Date.now() });

    await thirdCall;
    // While the third resolve is pending, the reason is the second one's, with the token masked.
    const refused = await clip(t, 'daniel', 2);
    expect(refused.error?.cause?.code).toBe('SS_ERR_CLIP_NOT_LIVE');
    expect(refused.error?.cause?.message).toBe('creator "daniel" has no stream to clip: the rumble stream could not be resolved: session [redacted] expired (header [redacted])');
    expect(stream.requests().slice(seen).map((r) => r.status)).toContain(403);

    release();
    await until('3 segments captured from the fresh URL', () => segmentsIn(buffer('daniel')) >= 3);
    const ok = await clip(t, 'daniel', 1);
    expect((await finished(t, String(ok.result))).state).toBe('published');
    expect(rumble.calls.creators).toEqual(['daniel', 'daniel', 'daniel']);
    expect(t.logs.lines).toContainEqual(expect.objectContaining({ msg: 'clip capture restarting', reason: expect.stringContaining('403') }));
    await t.stop();
    for (const secret of [...secrets(), stale, 'stale-token-0a1b2c3d']) {
      expect(t.logs.text()).not.toContain(secret);
      expect(JSON.stringify(t.events.events)).not.toContain(secret);
    }
  }, 60_000);

  it('a resolver that ignores its signal cannot hold up a stop: stream.offline and the kernel stop end the pending capture at once', async () => {
    const rumble = source('rumble', () => new Promise<LiveStreamInput>(() => {})); // never settles, never looks at the signal
    const { t } = await boot([sourcePlugin('fakerumble', rumble)], { daniel: { enable: ['clips'] } }, { fakerumble: {} });
    const status = { creatorId: 'daniel', platform: 'rumble', channel: 'daniel', at: Date.now() };
    t.bus.emit('stream.online', status);
    await until('resolving', () => rumble.calls.creators.length === 1);
    expect((await clip(t, 'daniel', 2)).error?.cause?.message).toBe('creator "daniel" has no stream to clip: the rumble capture is starting');
    t.bus.emit('stream.offline', status);
    t.bus.emit('stream.online', status);
    await until('resolving again', () => rumble.calls.creators.length === 2);
    expect(rumble.calls.signals[0]!.aborted).toBe(true);
    const started = Date.now();
    await t.stop();
    expect(Date.now() - started).toBeLessThan(5000); // not the plugin stop timeout
    expect(t.events.of('kernel.plugin.failed')).toEqual([]);
  }, 30_000);

  it('capture.source picks the platform; with capture.always it captures from the creator\'s start, without stream.online', async () => {
    const rumble = source('rumble', live);
    const youtube = source('youtube', live);
    const { t, buffer } = await boot(
      [sourcePlugin('fakeplatforms', rumble, youtube)],
      {
        always: { enable: ['clips'], config: { clips: { capture: { source: 'rumble', always: true } } } },
        picky: { enable: ['clips'], config: { clips: { capture: { source: 'youtube' } } } },
      },
      { fakeplatforms: {} },
    );
    await until('the always capture running', () => segmentsIn(buffer('always')) >= 3);
    expect(rumble.calls.creators).toEqual(['always']);

    const status = (platform: string) => ({ creatorId: 'picky', platform, channel: 'picky', at: Date.now() });
    t.bus.emit('stream.online', status('rumble')); // has a source, but picky captures youtube
    expect((await clip(t, 'picky', 2)).error?.cause?.code).toBe('SS_ERR_CLIP_NOT_LIVE');
    expect(rumble.calls.creators).toEqual(['always']);
    t.bus.emit('stream.online', status('youtube'));
    await until('the youtube capture running', () => segmentsIn(buffer('picky')) >= 3);
    expect(youtube.calls.creators).toEqual(['picky']);
    t.bus.emit('stream.offline', status('rumble')); // not its platform
    expect((await clip(t, 'picky', 1)).error).toBeUndefined();
  }, 60_000);

  it('a capture that cannot work fails the creator\'s start with SS_ERR_CLIPS_CAPTURE_INVALID: always without a platform, a source nobody provides', async () => {
    const { t } = await boot(
      [sourcePlugin('fakerumble', source('rumble', live))],
      {
        vague: { enable: ['clips'], config: { clips: { capture: { always: true } } } },
        typo: { enable: ['clips'], config: { clips: { capture: { source: 'rumbel' } } } },
        fine: { enable: ['clips'], config: { clips: { capture: { source: 'rumble' } } } },
      },
      { fakerumble: {} },
    );
    const failed = t.events.of('kernel.plugin.failed').map((f) => [f.creatorId, f.phase, f.error.cause?.code ?? f.error.code]);
    expect(failed.sort()).toEqual([['typo', 'start', 'SS_ERR_CLIPS_CAPTURE_INVALID'], ['vague', 'start', 'SS_ERR_CLIPS_CAPTURE_INVALID']]);
    expect(t.logs.text()).toContain('capture.source \\"rumbel\\" of creator \\"typo\\": no plugin provides a stream source for it (stream sources: rumble)');
    expect(t.logs.text()).toContain('capture.always of creator \\"vague\\" needs capture.input or capture.source');
  });
});

describe('stream source input helpers', () => {
  it('headers become ffmpeg input options: -headers with CRLF after each, User-Agent as -user_agent; a line break or a bad name is refused', () => {
    expect(headerInputArgs({ Referer: 'https://rumble.com/', 'User-Agent': 'Mozilla/5.0 x', Cookie: 'a=1; b=2' })).toEqual([
      '-user_agent', 'Mozilla/5.0 x',
      '-headers', 'Referer: https://rumble.com/\r\nCookie: a=1; b=2\r\n',
    ]);
    expect(headerInputArgs({})).toEqual([]);
    expect(() => headerInputArgs({ 'X-A': 'v\r\nX-Injected: 1' })).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIPS_CAPTURE_INVALID' }));
    expect(() => headerInputArgs({ 'X A': 'v' })).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIPS_CAPTURE_INVALID' }));
    expect(liveCaptureInput({ url: 'https://cdn.example/a.m3u8?sig=s3cr3t', via: 'x' })).toEqual({ url: 'https://cdn.example/a.m3u8?sig=s3cr3t' });
    expect(liveCaptureInput({ url: 'https://cdn.example/a.m3u8', headers: { Referer: 'r' }, via: 'x' })).toEqual({ url: 'https://cdn.example/a.m3u8', inputArgs: ['-headers', 'Referer: r\r\n'] });
  });

  it('what is registered as secret: the URL, its query values, user info, long path parts, header values', () => {
    const signed = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    expect(liveInputSecrets({ url: `https://user:pa55word@cdn.example/hls/${signed}/index.m3u8?token=t0k3n-1&ttl=60`, headers: { Cookie: 'sid=abcdef' }, via: 'x' }).sort()).toEqual(
      [`https://user:pa55word@cdn.example/hls/${signed}/index.m3u8?token=t0k3n-1&ttl=60`, 't0k3n-1', '60', 'user', 'pa55word', signed, 'sid=abcdef'].sort(),
    );
  });

  it('a printed command line masks header values and cookies', () => {
    expect(describeArgs('ffprobe', ['-headers', 'Cookie: sid=abcdef\r\nReferer: https://x.example/\r\n', '-cookies', 'sid=abcdef', '-i', 'https://cdn.example/a.m3u8?token=zz'])).toBe(
      'ffprobe -headers "Cookie: [redacted]\\r\\nReferer: [redacted]\\r\\n" -cookies [redacted] -i https://cdn.example/a.m3u8?[redacted]',
    );
  });

  it('SS_ERR_CLIP_NOT_LIVE carries an optional reason and keeps its code', () => {
    expect(new SS_ERR_CLIP_NOT_LIVE('daniel').message).toBe('creator "daniel" is not live: there is no stream to clip');
    const error = new SS_ERR_CLIP_NOT_LIVE('daniel', 'the twitch stream could not be resolved: SS_ERR_X: gone', { details: { creatorId: 'daniel' } });
    expect(error).toMatchObject({ code: 'SS_ERR_CLIP_NOT_LIVE', message: 'creator "daniel" has no stream to clip: the twitch stream could not be resolved: SS_ERR_X: gone', details: { creatorId: 'daniel' } });
  });
});
