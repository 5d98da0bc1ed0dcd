// Poster frames (a JPEG next to each cut clip's mp4) and the clips' media
// under a real exports root (runtime/media/clips/<id>.mp4 and .jpg, listed
// in clips.json as `video` / `poster`), with the production FfmpegEncoder on
// a real ring buffer and the real plugin-exports writing the root.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, exportsExtensionPoint, type Logger } from '@streamsuites/kernel';
import exportsPlugin from '@streamsuites/plugin-exports';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipSections, FfmpegEncoder, isJpeg, type ClipDestination, type ClipJobsOptions, type ClipStateEvent, type Encoder } from '../src/index.js';
import { syncClipMedia } from '../src/exports-media.js';
import { listDir, onCleanup, openEngine, tempDir } from './jobs-helpers.js';
import { generateBuffer, makeTempDir, removeDir } from './media-helpers.js';

let playlist: string;
let bufferDir: string;
beforeAll(async () => {
  // Kept for the whole file (tempDir()'s folders go after each test).
  const dir = (bufferDir = await makeTempDir('ss-clips-posters-'));
  // 1280x720, so the poster is scaled down to 640 px wide.
  playlist = await generateBuffer(dir, { seconds: 5, size: '1280x720', rate: 30 });
}, 120_000);
afterAll(() => removeDir(bufferDir));

/** ffprobe's view of a picture: its codec, size and the frames it decodes. */
function inspectPicture(file: string): { codec: string; width: number; height: number; frames: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' });
  const [stream] = (JSON.parse(out) as { streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[] }).streams;
  return { codec: stream!.codec_name, width: stream!.width, height: stream!.height, frames: Number(stream!.nb_read_frames) };
}

/** A logger recording its warnings (the engine logs a failed poster as one). */
function warnings(): { logger: Logger; warned: { obj: Record<string, unknown>; msg: string }[] } {
  const warned: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) => void warned.push({ obj, msg }),
    info: () => {},
    debug: () => {},
    error: () => {},
    trace: () => {},
    fatal: () => {},
    child: () => logger,
  } as unknown as Logger;
  return { logger, warned };
}

/** The production encoder whose poster step reads a file that does not exist: a real ffmpeg failure. */
function brokenPosterEncoder(): Encoder {
  const encoder = new FfmpegEncoder();
  return {
    version: () => encoder.version(),
    probe: (file, signal) => encoder.probe(file, signal),
    cut: (request, signal) => encoder.cut(request, signal),
    poster: (request, signal) => encoder.poster({ ...request, input: join(tempDir(), 'no-such-clip.mp4') }, signal),
  };
}

/** A destination whose uploads wait until the test settles them. */
function gatedDestination(): ClipDestination & { release(error?: Error): void } {
  let settle!: (error?: Error) => void;
  const gate = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
  return {
    kind: 'gated',
    release: (error) => settle(error),
    async upload(file) {
      await gate;
      return { url: `https://clips.example/${file.clipId}.mp4` };
    },
  };
}

interface ExportedClip {
  id: string;
  state: string;
  video?: string;
  poster?: string;
}

/**
 * plugin-exports (the real plugin, root `<dataDir>/state`) writing the clip
 * sections of an engine on the same dataDir, which emits `clip.state` on the
 * kernel's bus as the plugin does.
 */
async function exportsRig(options: Partial<ClipJobsOptions> & Pick<ClipJobsOptions, 'encoder'>) {
  const dataDir = tempDir();
  let engine: ReturnType<typeof openEngine>['engine'] | undefined;
  const contributor = definePlugin({
    id: 'clipsmedia',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      for (const section of clipSections(() => engine)) reg.extend(exportsExtensionPoint, section);
    },
  });
  const t: TestKernel = await startTestKernel({
    plugins: [exportsPlugin, contributor],
    manifest: { dataDir, plugins: { exports: { config: { mirror: false, debounceMs: 0 } }, clipsmedia: {} } },
  });
  const opened = openEngine({
    dataDir,
    source: () => ({ playlist }),
    ...options,
    onState(clip, from, to, reason) {
      const event: ClipStateEvent = { clipId: clip.id, creatorId: clip.creatorId, platform: clip.platform, state: to, previous: from, reason, at: Date.now() };
      t.bus.emit('clip.state', event);
    },
  });
  engine = opened.engine;
  onCleanup(() => t.stop()); // cleanups run newest first: the kernel (its last write) before the engine closes
  const root = join(dataDir, 'state');
  const clipsFile = join(root, 'runtime', 'exports', 'clips.json');
  const read = (): { text: string; clips: ExportedClip[] } => {
    const text = existsSync(clipsFile) ? readFileSync(clipsFile, 'utf8') : '{"clips":[]}';
    return { text, clips: (JSON.parse(text) as { clips: ExportedClip[] }).clips };
  };
  /** Resolves with clips.json once a write of it satisfies `check` (checked at every `exports.written`). */
  const written = async (check: (clips: ExportedClip[]) => boolean): Promise<{ text: string; clips: ExportedClip[] }> => {
    await t.events.waitFor('exports.written', (e) => e.files.includes('runtime/exports/clips.json') && check(read().clips), 30_000);
    return read();
  };
  return { t, ...opened, root, read, written };
}

describe('poster frames', () => {
  it('a cut clip gets a decodable JPEG poster next to its mp4: one frame, at most 640 px wide, aspect kept; recorded on the clip row', async () => {
    const t = openEngine({ encoder: new FfmpegEncoder(), source: () => ({ playlist }) });
    await t.ready;
    const created = t.engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 2 });
    const clip = await t.engine.settled(created.id);
    expect(clip.state, clip.error ?? '').toBe('published');
    const poster = join(t.engine.outputDir, `${clip.id}.jpg`);
    expect(clip.posterPath).toBe(poster);
    expect(listDir(t.engine.outputDir)).toEqual([`${clip.id}.jpg`, `${clip.id}.mp4`]);
    expect(isJpeg(readFileSync(poster).subarray(0, 3))).toBe(true);
    expect(readFileSync(poster).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(inspectPicture(poster)).toEqual({ codec: 'mjpeg', width: 640, height: 360, frames: 1 });
    expect(t.engine.posterStats()).toEqual({ made: 1, failed: 0 });
    // Read back from the database.
    expect(t.engine.get(clip.id).posterPath).toBe(poster);
  }, 60_000);

  it('a failed poster leaves the clip ready without one: logged as a warning without local paths, and counted', async () => {
    const { logger, warned } = warnings();
    const t = openEngine({ encoder: brokenPosterEncoder(), source: () => ({ playlist }), logger });
    await t.ready;
    const clip = await t.engine.settled(t.engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 2 }).id);
    expect(clip.state, clip.error ?? '').toBe('published');
    expect(clip).toMatchObject({ posterPath: null, error: null, job: { attempts: 1 } });
    expect(listDir(t.engine.outputDir)).toEqual([`${clip.id}.mp4`]);
    expect(t.engine.posterStats()).toEqual({ made: 0, failed: 1 });
    const warning = warned.find((w) => /poster/.test(w.msg));
    expect(warning?.obj).toMatchObject({ clipId: clip.id, code: 'SS_ERR_CLIPS_POSTER_FAILED' });
    expect(String(warning?.obj.reason)).toMatch(/no-such-clip\.mp4/);
    expect(JSON.stringify(warning)).not.toContain(tmpdir());
    // Not the clip's failure: the history has the usual path, the reason no error.
    expect(t.engine.history(clip.id).map((h) => h.to)).toEqual(['queued', 'encoding', 'encoded', 'uploading', 'published']);
  }, 60_000);
});

describe('clip media under the exports root', () => {
  it('a ready clip: runtime/media/clips/<id>.mp4 and .jpg (hard links on one filesystem), listed as video/poster in clips.json; removed when the clip fails', async () => {
    const destination = gatedDestination();
    const { engine, root, written, ready } = await exportsRig({ encoder: new FfmpegEncoder(), destinations: { gated: destination }, isRetryable: () => false });
    await ready;
    const id = engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 2 }).id;

    // Encoded, its upload waiting: the media are placed and listed.
    const listed = await written((clips) => clips.some((c) => c.id === id && c.video !== undefined));
    const clip = engine.get(id);
    expect(clip.state).toBe('uploading');
    const exported = listed.clips.find((c) => c.id === id)!;
    expect(exported).toMatchObject({ video: `runtime/media/clips/${id}.mp4`, poster: `runtime/media/clips/${id}.jpg` });
    for (const [field, source] of [['video', clip.outputPath!], ['poster', clip.posterPath!]] as const) {
      const placed = join(root, exported[field]!);
      expect(readFileSync(placed).equals(readFileSync(source)), field).toBe(true);
      expect(statSync(placed).ino, `${field} is a hard link`).toBe(statSync(source).ino);
    }
    expect(readdirSync(join(root, 'runtime', 'media', 'clips')).sort()).toEqual([`${id}.jpg`, `${id}.mp4`]);
    // Paths relative to the root only: no local path, no file: URL.
    expect(listed.text).not.toContain(root);
    expect(listed.text).not.toMatch(/file:|"\/|[A-Za-z]:\\\\/);

    // The upload fails for good: the clip's files go, and so do its media under the root.
    destination.release(new Error('refused'));
    expect((await engine.settled(id)).state).toBe('failed');
    await written(() => !existsSync(join(root, 'runtime', 'media', 'clips', `${id}.mp4`)));
    expect(readdirSync(join(root, 'runtime', 'media', 'clips'))).toEqual([]);
  }, 60_000);

  it('retention deletes the poster with the mp4, and the media under the root go at the next write', async () => {
    // Every published clip is over the 1-byte budget: retention expires it right after publishing.
    const rig = await exportsRig({ encoder: new FfmpegEncoder(), retention: { maxTotalBytes: 1 } });
    await rig.ready;
    const id = rig.engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 2 }).id;
    const clip = await rig.engine.settled(id);
    expect(clip.state).toBe('published');
    expect(rig.engine.get(id).expiredAt).not.toBeNull();
    expect(clip.posterPath).not.toBeNull();
    expect(existsSync(clip.posterPath!)).toBe(false);
    expect(listDir(rig.engine.outputDir)).toEqual([]);
    const { clips } = await rig.written((list) => list.some((c) => c.id === id && c.state === 'published'));
    expect(clips.find((c) => c.id === id)).not.toHaveProperty('video');
    expect(clips.find((c) => c.id === id)).not.toHaveProperty('poster');
    expect(listDir(join(rig.root, 'runtime', 'media', 'clips'))).toEqual([]);
  }, 60_000);

  it('a clip without a poster is listed with `video` only', async () => {
    const rig = await exportsRig({ encoder: brokenPosterEncoder() });
    await rig.ready;
    const id = rig.engine.create({ creatorId: 'daniel', platform: 'twitch', seconds: 2 }).id;
    expect((await rig.engine.settled(id)).state).toBe('published');
    const { clips } = await rig.written((list) => list.some((c) => c.id === id && c.state === 'published' && c.video !== undefined));
    const exported = clips.find((c) => c.id === id)!;
    expect(exported.video).toBe(`runtime/media/clips/${id}.mp4`);
    expect(exported).not.toHaveProperty('poster');
    expect(readdirSync(join(rig.root, 'runtime', 'media', 'clips'))).toEqual([`${id}.mp4`]);
  }, 60_000);

  it('on another filesystem the media are copied (temp name, then rename), not linked; a sync with nothing ready removes them', async () => {
    const sources = tempDir();
    const video = join(sources, 'abc123.mp4');
    const poster = join(sources, 'abc123.jpg');
    writeFileSync(video, Buffer.alloc(64 * 1024, 7));
    writeFileSync(poster, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    // /dev/shm is a tmpfs on Linux: another filesystem than the temp folder's, where link() fails with EXDEV.
    const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/ss-clips-media-') : undefined;
    if (shm === undefined || statSync(shm).dev === statSync(sources).dev) {
      if (shm !== undefined) rmSync(shm, { recursive: true, force: true });
      return; // no second filesystem here: the copy path is not reachable
    }
    onCleanup(() => rmSync(shm, { recursive: true, force: true }));
    mkdirSync(join(shm, 'runtime'));
    const present = await syncClipMedia(shm, [{ id: 'abc123', video, poster }]);
    expect(present.get('abc123')).toEqual({ video: 'runtime/media/clips/abc123.mp4', poster: 'runtime/media/clips/abc123.jpg' });
    const dir = join(shm, 'runtime', 'media', 'clips');
    expect(readdirSync(dir).sort()).toEqual(['abc123.jpg', 'abc123.mp4']); // no temp file left
    expect(readFileSync(join(dir, 'abc123.mp4')).equals(readFileSync(video))).toBe(true);
    expect(statSync(join(dir, 'abc123.mp4')).ino).not.toBe(statSync(video).ino);
    // Already there: not copied again.
    const before = statSync(join(dir, 'abc123.mp4')).ino;
    await syncClipMedia(shm, [{ id: 'abc123', video, poster }]);
    expect(statSync(join(dir, 'abc123.mp4')).ino).toBe(before);
    // Nothing ready any more: removed (other files in the folder are left alone).
    writeFileSync(join(dir, 'README.txt'), 'not ours');
    expect((await syncClipMedia(shm, [])).size).toBe(0);
    expect(readdirSync(dir)).toEqual(['README.txt']);
  });
});
