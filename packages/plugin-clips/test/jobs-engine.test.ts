import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { SS_ERR_CLIP_INVALID, toPublicClip } from '../src/jobs.js';
import { ffmpegEncoder, ffprobe, folderDestination, gateEncoder, SS_ERR_TEST_ENCODE_BROKEN } from './fixtures/jobs-media.js';
import { listDir, openEngine, path, sampleMp4, tempDir } from './jobs-helpers.js';

const request = { creatorId: 'daniel', platform: 'twitch', seconds: 1, title: 'Nice shot', requestedBy: 'viewer42' } as const;

describe('ClipJobs: a clip through its states', () => {
  it('a published clip: every transition in clip_state_history in order, onState for each, a real mp4 at clips/output/<id>.mp4', async () => {
    const t = openEngine({ encoder: ffmpegEncoder() });
    const queued = t.engine.create(request);
    expect(queued).toMatchObject({ state: 'queued', creatorId: 'daniel', platform: 'twitch', title: 'Nice shot', requestedBy: 'viewer42', mode: 'copy', destination: 'local' });

    const clip = await t.engine.settled(queued.id);
    const history = t.engine.history(clip.id);
    expect(path(history)).toEqual(['new->queued', 'queued->encoding', 'encoding->encoded', 'encoded->uploading', 'uploading->published']);
    expect(history.map((h) => h.reason)).toEqual([
      'requested',
      'encode attempt 1/2',
      expect.stringMatching(/^encoded 1\.\d\d s \(\d+ bytes\)$/),
      'upload attempt 1/3',
      'published to local',
    ]);
    expect(history.map((h) => h.at)).toEqual([...history.map((h) => h.at)].sort((a, b) => a - b));
    expect(t.events.map((e) => `${e.from ?? 'new'}->${e.to}`)).toEqual(path(history));

    const output = join(t.dataDir, 'clips', 'output', `${clip.id}.mp4`);
    expect(clip).toMatchObject({ state: 'published', outputPath: output, error: null, expiredAt: null, job: { phase: 'done', attempts: 1, lockedBy: null } });
    expect(clip.url).toMatch(/^file:/);
    expect(clip.publishedAt).toBeGreaterThanOrEqual(clip.createdAt);
    expect(clip.durationSec).toBeCloseTo(1, 1);
    expect((await ffprobe(output)).hasVideo).toBe(true);
    expect(readFileSync(fileURLToPath(clip.url!))).toEqual(readFileSync(output));
    expect(listDir(join(t.dataDir, 'clips', 'output'))).toEqual([`${clip.id}.mp4`]);
    expect(t.engine.get(clip.id)).toEqual(clip);

    // Public view: no viewer id, no paths, no errors or job internals.
    const pub = toPublicClip(clip);
    expect(Object.keys(pub).sort()).toEqual(['createdAt', 'creatorId', 'durationSec', 'id', 'platform', 'publishedAt', 'state', 'title', 'url']);
    expect(JSON.stringify(pub)).not.toContain('viewer42');
    expect(pub.url).toBeNull(); // the folder's file:// URL stays in the database
    expect(JSON.stringify(pub)).not.toContain(t.dataDir);
    expect(t.engine.listPublic()).toEqual([pub]);
  });

  it('a failing upload: retried with backoff, then failed with the reason; every transition recorded; the local file removed', async () => {
    const published = join(tempDir(), 'published');
    const destination = folderDestination(published, { fail: 'always' });
    const t = openEngine({ encoder: ffmpegEncoder(), destinations: { rumble: destination }, backoff: { baseMs: 20, maxMs: 1000 } });
    const clip = await t.engine.settled(t.engine.create(request).id);

    const history = t.engine.history(clip.id);
    expect(path(history)).toEqual([
      'new->queued',
      'queued->encoding',
      'encoding->encoded',
      'encoded->uploading',
      'uploading->encoded',
      'encoded->uploading',
      'uploading->encoded',
      'encoded->uploading',
      'uploading->failed',
    ]);
    expect(history[4]!.reason).toBe('upload attempt 1/3 failed (SS_ERR_TEST_UPLOAD_REFUSED): the test destination refused upload 1; retry in 20 ms');
    expect(history[6]!.reason).toBe('upload attempt 2/3 failed (SS_ERR_TEST_UPLOAD_REFUSED): the test destination refused upload 2; retry in 40 ms');
    expect(history[8]!.reason).toBe('upload attempt 3/3 failed (SS_ERR_TEST_UPLOAD_REFUSED): the test destination refused upload 3; no attempts left');
    // The backoff was honoured (history times are the engine clock's).
    expect(history[5]!.at - history[4]!.at).toBeGreaterThanOrEqual(20);
    expect(history[7]!.at - history[6]!.at).toBeGreaterThanOrEqual(40);

    expect(destination.calls).toHaveLength(3);
    expect(clip).toMatchObject({
      state: 'failed',
      url: null,
      errorCode: 'SS_ERR_TEST_UPLOAD_REFUSED',
      error: 'the test destination refused upload 3',
      job: { phase: 'done', attempts: 3, maxAttempts: 3, lockedBy: null, nextRunAt: null, lastErrorCode: 'SS_ERR_TEST_UPLOAD_REFUSED' },
    });
    expect(listDir(join(t.dataDir, 'clips', 'output'))).toEqual([]);
    expect(t.engine.listPublic()).toEqual([]);
    // The steps ran as jobs: one encode, one upload job that the registry retried and failed.
    await vi.waitFor(async () =>
      expect(await t.registry.list({ type: 'clips.upload' })).toEqual([
        expect.objectContaining({ state: 'failed', attempts: 3, maxAttempts: 3, creatorId: 'daniel', payload: { clipId: clip.id }, errorCode: 'SS_ERR_TEST_UPLOAD_REFUSED' }),
      ]),
    );
    expect(await t.registry.list({ type: 'clips.encode' })).toEqual([expect.objectContaining({ state: 'succeeded', attempts: 1 })]);
  });

  it('an upload that fails twice then succeeds is published on attempt 3', async () => {
    const destination = folderDestination(join(tempDir(), 'pub'), { fail: 2 });
    const t = openEngine({ encoder: ffmpegEncoder(), destinations: { local: destination } });
    const clip = await t.engine.settled(t.engine.create(request).id);
    expect(clip).toMatchObject({ state: 'published', error: null, errorCode: null, job: { attempts: 3, lastError: null } });
    expect(path(t.engine.history(clip.id)).filter((p) => p === 'encoded->uploading')).toHaveLength(3);
  });

  it('isRetryable false fails at once; a missing destination file is never retried', async () => {
    const destination = folderDestination(join(tempDir(), 'pub'), { fail: 'always' });
    const t = openEngine({ encoder: ffmpegEncoder(), destinations: { local: destination }, isRetryable: () => false });
    const clip = await t.engine.settled(t.engine.create(request).id);
    expect(clip.state).toBe('failed');
    expect(destination.calls).toHaveLength(1);
    expect(t.engine.history(clip.id).at(-1)!.reason).toMatch(/; not retryable$/);
    // The job is not retried either: it fails on its first attempt (the error is marked retryable: false).
    await vi.waitFor(async () =>
      expect(await t.registry.list({ type: 'clips.upload' })).toEqual([
        expect.objectContaining({ state: 'failed', attempts: 1, maxAttempts: 3, errorCode: 'SS_ERR_TEST_UPLOAD_REFUSED' }),
      ]),
    );
  });

  it('an encoder error is retried, then fails with its code; partial outputs are removed', async () => {
    const gate = gateEncoder(sampleMp4());
    const t = openEngine({ encoder: gate.encoder });
    const { id } = t.engine.create(request);
    await gate.started(1);
    gate.fail(id, new SS_ERR_TEST_ENCODE_BROKEN('first'));
    await gate.started(2);
    gate.fail(id, new Error('plain error from the encoder'));
    const clip = await t.engine.settled(id);
    expect(path(t.engine.history(id))).toEqual(['new->queued', 'queued->encoding', 'encoding->queued', 'queued->encoding', 'encoding->failed']);
    expect(t.engine.history(id)[2]!.reason).toBe('encode attempt 1/2 failed (SS_ERR_TEST_ENCODE_BROKEN): the test encoder failed: first; retry in 5 ms');
    // A plain Error is wrapped in a coded one.
    expect(clip).toMatchObject({ state: 'failed', errorCode: 'SS_ERR_CLIP_ENCODE_FAILED', error: expect.stringContaining('plain error from the encoder') });
    expect(listDir(t.engine.outputDir)).toEqual([]);
  });

  it('no capture to cut from is SS_ERR_CLIP_NO_SOURCE; an encoder that hangs times out (SS_ERR_CLIP_TIMEOUT) and its slot is freed', async () => {
    const gate = gateEncoder(sampleMp4());
    const t = openEngine({
      encoder: gate.encoder,
      concurrency: 1,
      maxEncodeAttempts: 1,
      encodeTimeoutMs: 50,
      source: (clip) => (clip.creatorId === 'offline' ? undefined : { playlist: clip.creatorId }),
    });
    const offline = await t.engine.settled(t.engine.create({ ...request, creatorId: 'offline' }).id);
    expect(offline).toMatchObject({ state: 'failed', errorCode: 'SS_ERR_CLIP_NO_SOURCE' });

    const hung = await t.engine.settled(t.engine.create(request).id);
    expect(hung).toMatchObject({ state: 'failed', errorCode: 'SS_ERR_CLIP_TIMEOUT' });
    expect(gate.running()).toEqual([]); // the encoder got the abort
    // With one slot, the next clip runs only if the hung one gave its slot back.
    const next = t.engine.create({ ...request, creatorId: 'next' });
    await gate.started(2);
    gate.release(next.id);
    expect(await t.engine.settled(next.id)).toMatchObject({ state: 'published' });
  });

  it('stop() aborts running work without using up an attempt; the next engine resumes it', async () => {
    const dataDir = tempDir();
    const gate = gateEncoder(sampleMp4());
    const first = openEngine({ dataDir, encoder: gate.encoder });
    const { id } = first.engine.create(request);
    await gate.started(1);
    await first.engine.stop();
    await first.engine.stop(); // idempotent
    expect(first.engine.get(id)).toMatchObject({ state: 'queued', job: { attempts: 0, lockedBy: null } });
    expect(first.engine.history(id).at(-1)!.reason).toBe('encode attempt 1/2 stopped with the engine; resumes on the next start');
    first.db.close();

    const second = openEngine({ dataDir, encoder: ffmpegEncoder() });
    const clip = await second.engine.settled(id);
    expect(clip).toMatchObject({ state: 'published', job: { attempts: 1 } });
  });

  it('destinations can be resolved per clip (e.g. per creator); a creator without one is refused at create', async () => {
    const alice = folderDestination(join(tempDir(), 'alice'));
    const bob = { ...folderDestination(join(tempDir(), 'bob')), kind: 'http' };
    const byCreator: Record<string, typeof alice> = { alice, bob };
    const t = openEngine({ encoder: ffmpegEncoder(), destinations: (clip) => byCreator[clip.creatorId] });
    const a = t.engine.create({ ...request, creatorId: 'alice' });
    const b = t.engine.create({ ...request, creatorId: 'bob' });
    expect([a.destination, b.destination]).toEqual(['local', 'http']);
    expect(() => t.engine.create({ ...request, creatorId: 'carol' })).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIP_DESTINATION_UNKNOWN' }));
    expect((await t.engine.settled(a.id)).state).toBe('published');
    expect((await t.engine.settled(b.id)).url).toContain('/bob/');
    expect(alice.calls.map((f) => f.clipId)).toEqual([a.id]);
    expect(t.engine.history(b.id).at(-1)!.reason).toBe('published to http');
  });

  it('a throwing onState listener never breaks the engine', async () => {
    const t = openEngine({
      encoder: ffmpegEncoder(),
      onState: () => {
        throw new Error('listener bug');
      },
    });
    const clip = await t.engine.settled(t.engine.create(request).id);
    expect(clip.state).toBe('published');
  });

  it('create is idempotent by requestKey', () => {
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false });
    const a = t.engine.create({ ...request, requestKey: 'twitch:msg-1' });
    const b = t.engine.create({ ...request, requestKey: 'twitch:msg-1', title: 'other' });
    const c = t.engine.create({ ...request, requestKey: 'twitch:msg-2' });
    expect(b).toEqual(a);
    expect(c.id).not.toBe(a.id);
    expect(t.engine.list().map((x) => x.id)).toEqual([c.id, a.id]);
    expect(t.events.filter((e) => e.to === 'queued')).toHaveLength(2);
  });

  it('titles are data: control and bidi characters stripped, length limited, never in a path', async () => {
    const t = openEngine({ encoder: ffmpegEncoder(), titleMaxLength: 20 });
    const evil = t.engine.create({ ...request, title: '../../../etc/passwd\u0000\n$(rm -rf ~)\u202Egnp.exe' });
    expect(evil.title).toBe('../../../etc/passwd');
    const long = t.engine.create({ ...request, creatorId: 'other', title: `${'a'.repeat(18)}👩‍👩‍👧‍👦 family` });
    expect(long.title).toBe(`${'a'.repeat(18)}👩‍👩‍👧‍👦`); // cut at 20 graphemes: the family emoji stays whole, the trailing space goes
    const blank = t.engine.create({ ...request, creatorId: 'third', title: ' \t\u0007 ' });
    expect(blank.title).toBe(`Clip ${blank.id}`);
    for (const clip of [evil, long, blank]) {
      const done = await t.engine.settled(clip.id);
      expect(done.outputPath).toBe(join(t.engine.outputDir, `${clip.id}.mp4`));
      expect(existsSync(done.outputPath!)).toBe(true);
    }
  });

  it('bad requests are SS_ERR_CLIP_INVALID / SS_ERR_CLIP_DESTINATION_UNKNOWN; unknown ids SS_ERR_CLIP_NOT_FOUND', () => {
    const t = openEngine({ encoder: gateEncoder(sampleMp4()).encoder, start: false, maxSeconds: 60 });
    const fails = (r: object) => {
      try {
        t.engine.create({ ...request, ...r });
      } catch (error) {
        return error;
      }
      throw new Error('did not throw');
    };
    expect(fails({ seconds: 0 })).toMatchObject({ code: 'SS_ERR_CLIP_INVALID', message: expect.stringContaining('seconds') });
    expect(fails({ seconds: 61 })).toMatchObject({ code: 'SS_ERR_CLIP_INVALID' });
    expect(fails({ seconds: Number.NaN })).toMatchObject({ code: 'SS_ERR_CLIP_INVALID' });
    expect(fails({ creatorId: '' })).toMatchObject({ code: 'SS_ERR_CLIP_INVALID', message: expect.stringContaining('creatorId') });
    expect(fails({ mode: 'fast' })).toMatchObject({ code: 'SS_ERR_CLIP_INVALID', message: expect.stringContaining('mode') });
    expect(fails({ destination: 'youtube' })).toMatchObject({ code: 'SS_ERR_CLIP_DESTINATION_UNKNOWN', message: expect.stringContaining('local') });
    expect(fails({ destination: 'toString' })).toMatchObject({ code: 'SS_ERR_CLIP_DESTINATION_UNKNOWN' });
    expect(SS_ERR_CLIP_INVALID.is(fails({ platform: 'x'.repeat(33) }))).toBe(true);
    expect(t.engine.list()).toEqual([]);
    expect(() => t.engine.get('zzzzzz')).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIP_NOT_FOUND' }));
    expect(() => t.engine.get('../../etc/passwd')).toThrow(expect.objectContaining({ code: 'SS_ERR_CLIP_NOT_FOUND' }));
    expect(t.engine.find('ABCDEF')).toBeUndefined();
  });
});
