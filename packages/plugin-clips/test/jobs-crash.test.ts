import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '@streamsuites/kernel';
import { SqliteStore } from '@streamsuites/store-sqlite';
import { spawnScript } from '@streamsuites/testing';
import { ffmpegEncoder, ffprobe, gateEncoder } from './fixtures/jobs-media.js';
import { fixture, listDir, onCleanup, openEngine, path, readClips, sampleMp4, tempDir, UPLOAD_RETRIED_ONCE } from './jobs-helpers.js';

/**
 * Runs the crash child until `ready` shows on its stdout, checks it, then
 * SIGKILLs it (a crash: no stop(), no cleanup). The ffmpeg it spawned is not
 * killed with it (it keeps running as an orphan, as it would in production);
 * it is killed when the test ends.
 */
async function crashChild(dataDir: string, crashAt: 'encode' | 'upload', maxEncodeAttempts: number, ready: RegExp, registry: 'memory' | 'sqlite' = 'memory') {
  const child = spawnScript(fixture('jobs-crash-child.ts'), [dataDir, crashAt, String(maxEncodeAttempts), '4', registry]);
  const closed = once(child.child, 'close');
  let match: RegExpExecArray | null = null;
  try {
    await child.until(crashAt === 'encode' ? 'ffmpeg ' : 'upload ');
    match = ready.exec(child.stdout());
    expect(match, child.stdout() + child.stderr()).not.toBeNull();
    return { match: match!, stdout: child.stdout };
  } finally {
    child.child.kill('SIGKILL');
    await closed;
    expect(child.child.signalCode).toBe('SIGKILL');
    const ffmpeg = /^ffmpeg \S+ (\d+) /m.exec(child.stdout());
    if (ffmpeg) {
      onCleanup(() => {
        try {
          process.kill(Number(ffmpeg[1]), 'SIGKILL');
        } catch {
          // already finished
        }
      });
    }
  }
}

const noneInFlight = (file: string) => readClips(file).filter((c) => c.state === 'encoding' || c.state === 'uploading');

describe('kill -9 of the process running a clip (in-memory job registry: the clip records recover)', () => {
  it('mid-encode (real ffmpeg): the restarted engine removes the partial output, encodes again and publishes', async () => {
    const dataDir = tempDir();
    const outputDir = join(dataDir, 'clips', 'output');
    const { match } = await crashChild(dataDir, 'encode', 2, /^ffmpeg (\w{6}) (\d+) (\S+)$/m);
    const [, id, , partial] = match;
    // What the crash left: the row says encoding, a partial ffmpeg output is on disk, no final file.
    const file = join(dataDir, 'streamsuites.db');
    expect(readClips(file)).toEqual([expect.objectContaining({ id, state: 'encoding' })]);
    expect(existsSync(partial!)).toBe(true);
    expect(listDir(outputDir)).toEqual([basename(partial!)]);

    // Restart: a new engine (in this process) on the same files.
    const t = openEngine({ dataDir, encoder: ffmpegEncoder(), start: false });
    const report = await t.engine.start();
    expect(report).toMatchObject({ retried: [id], failed: [], removedFiles: [basename(partial!)], enqueued: [id] });
    const clip = await t.engine.settled(id!);

    expect(clip).toMatchObject({ state: 'published', creatorId: 'alice', title: 'crash test', job: { attempts: 1, lockedBy: null } });
    expect(path(t.engine.history(id!))).toEqual([
      'new->queued',
      'queued->encoding',
      'encoding->queued',
      'queued->encoding',
      'encoding->encoded',
      'encoded->uploading',
      'uploading->published',
    ]);
    expect(t.engine.history(id!)[2]!.reason).toBe('interrupted: the process ended during encode attempt 1/2; retrying');
    expect(t.engine.history(id!)[3]!.reason).toBe('encode attempt 2/2');
    // No orphan: exactly the final mp4, valid, of the requested length; nothing in flight.
    expect(listDir(outputDir)).toEqual([`${id}.mp4`]);
    expect((await ffprobe(join(outputDir, `${id}.mp4`))).durationSec).toBeCloseTo(4, 0);
    expect(noneInFlight(file)).toEqual([]);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('mid-encode with no encode attempts left: failed with a reason, no files, nothing in flight', async () => {
    const dataDir = tempDir();
    const { match } = await crashChild(dataDir, 'encode', 1, /^ffmpeg (\w{6}) /m);
    const id = match[1]!;
    const t = openEngine({ dataDir, encoder: ffmpegEncoder(), start: false });
    expect(await t.engine.start()).toMatchObject({ retried: [], failed: [id], enqueued: [] });
    const clip = await t.engine.settled(id);
    expect(clip).toMatchObject({
      state: 'failed',
      errorCode: 'SS_ERR_CLIP_INTERRUPTED',
      error: `Clip "${id}" was interrupted while encoding (the process ended) on 1 attempt(s)`,
      job: { phase: 'done', lockedBy: null },
    });
    expect(path(t.engine.history(id))).toEqual(['new->queued', 'queued->encoding', 'encoding->failed']);
    expect(t.engine.history(id).at(-1)!.reason).toBe('interrupted: the process ended during encode; no encode attempts left (1/1)');
    expect(listDir(t.engine.outputDir)).toEqual([]);
    expect(noneInFlight(t.db.file)).toEqual([]);
  });

  it('mid-upload: the restarted engine uploads the kept file again and publishes', async () => {
    const dataDir = tempDir();
    const { match } = await crashChild(dataDir, 'upload', 2, /^upload (\w{6})$/m);
    const id = match[1]!;
    const file = join(dataDir, 'streamsuites.db');
    expect(readClips(file)).toEqual([expect.objectContaining({ id, state: 'uploading' })]);

    const t = openEngine({ dataDir, encoder: ffmpegEncoder(), start: false });
    expect(await t.engine.start()).toMatchObject({ retried: [id], removedFiles: [], enqueued: [id] });
    const clip = await t.engine.settled(id);
    expect(clip).toMatchObject({ state: 'published', job: { attempts: 2 } });
    expect(path(t.engine.history(id))).toEqual(UPLOAD_RETRIED_ONCE);
    expect(t.engine.history(id)[4]!.reason).toMatch(/^interrupted: the process ended during upload attempt 1\/3; retrying/);
    expect(listDir(t.engine.outputDir)).toEqual([`${id}.mp4`]);
    expect(listDir(t.published)).toEqual([`${id}.mp4`]);
    expect(noneInFlight(file)).toEqual([]);
  });
});

/** @streamsuites/store-sqlite's durable job registry on the same streamsuites.db (its crash recovery runs here). */
function openDurable(dataDir: string) {
  const store = SqliteStore.open({ file: join(dataDir, 'streamsuites.db') });
  onCleanup(() => store.close());
  return { store, registry: store.jobRegistry({ clock: systemClock }) };
}

describe('with the durable job registry (@streamsuites/store-sqlite)', () => {
  it('kill -9 mid-upload: the registry re-queues the interrupted upload job itself; the clip gets no second job and is published', async () => {
    const dataDir = tempDir();
    const { match } = await crashChild(dataDir, 'upload', 2, /^upload (\w{6})$/m, 'sqlite');
    const id = match[1]!;
    const { registry } = openDurable(dataDir);
    // The registry's own recovery ran at open: the job is queued again, its interrupted attempt counted.
    const [interrupted, ...others] = await registry.list({ type: 'clips.upload' });
    expect(others).toEqual([]);
    expect(interrupted).toMatchObject({ state: 'queued', attempts: 1, maxAttempts: 3, creatorId: 'alice', payload: { clipId: id }, errorCode: 'SS_ERR_JOB_INTERRUPTED' });

    const t = openEngine({ dataDir, registry, encoder: ffmpegEncoder(), start: false });
    expect(await t.engine.start()).toMatchObject({ retried: [id], failed: [], enqueued: [] });
    const clip = await t.engine.settled(id);
    expect(clip).toMatchObject({ state: 'published', job: { attempts: 2, maxAttempts: 3, lockedBy: null } });
    expect(path(t.engine.history(id))).toEqual(UPLOAD_RETRIED_ONCE);
    expect(t.engine.history(id)[5]!.reason).toBe('upload attempt 2/3');
    // One upload job for the clip, the same one, finished on its second attempt.
    await vi.waitFor(async () =>
      expect(await registry.list({ type: 'clips.upload' })).toEqual([expect.objectContaining({ id: interrupted!.id, state: 'succeeded', attempts: 2 })]),
    );
    await vi.waitFor(async () => expect(await registry.list({ state: ['queued', 'running'] })).toEqual([]));
    expect(listDir(t.published)).toEqual([`${id}.mp4`]);
    expect(noneInFlight(t.db.file)).toEqual([]);
  });

  it('kill -9 mid-encode on its last attempt: the registry fails the job (SS_ERR_JOB_INTERRUPTED), the clip fails, nothing is enqueued', async () => {
    const dataDir = tempDir();
    const { match } = await crashChild(dataDir, 'encode', 1, /^ffmpeg (\w{6}) /m, 'sqlite');
    const id = match[1]!;
    const { registry } = openDurable(dataDir);
    expect(await registry.list({ type: 'clips.encode' })).toEqual([
      expect.objectContaining({ state: 'failed', attempts: 1, maxAttempts: 1, payload: { clipId: id }, errorCode: 'SS_ERR_JOB_INTERRUPTED' }),
    ]);
    const t = openEngine({ dataDir, registry, encoder: ffmpegEncoder(), start: false });
    expect(await t.engine.start()).toMatchObject({ retried: [], failed: [id], enqueued: [] });
    expect(t.engine.get(id)).toMatchObject({ state: 'failed', errorCode: 'SS_ERR_CLIP_INTERRUPTED', job: { phase: 'done', lockedBy: null } });
    expect(await registry.list({ state: ['queued', 'running'] })).toEqual([]);
    expect(listDir(t.engine.outputDir)).toEqual([]);
  });

  it('a clean stop of the registry mid-encode (kernel.stopping) gives the attempt back on the clip and the job; the next start runs that job once', async () => {
    const dataDir = tempDir();
    const gate = gateEncoder(sampleMp4());
    const first = openDurable(dataDir);
    const t1 = openEngine({ dataDir, registry: first.registry, encoder: gate.encoder });
    const { id } = t1.engine.create({ creatorId: 'alice', platform: 'twitch', seconds: 1 });
    await gate.started(1);
    await first.registry.stop();
    expect(gate.running()).toEqual([]); // the encoder got the abort
    expect(t1.engine.get(id)).toMatchObject({ state: 'queued', job: { attempts: 0, lockedBy: null } });
    expect(t1.engine.history(id).at(-1)!.reason).toBe('encode attempt 1/2 stopped with the engine; resumes on the next start');
    const [job, ...others] = await first.registry.list({ type: 'clips.encode' });
    expect(others).toEqual([]);
    expect(job).toMatchObject({ state: 'queued', attempts: 0, payload: { clipId: id } });
    await t1.engine.stop();
    await first.store.close();
    t1.db.close();

    const second = openDurable(dataDir);
    const t2 = openEngine({ dataDir, registry: second.registry, encoder: ffmpegEncoder(), start: false });
    expect(await t2.engine.start()).toMatchObject({ retried: [], enqueued: [] });
    expect(await t2.engine.settled(id)).toMatchObject({ state: 'published', job: { attempts: 1 } });
    expect(path(t2.engine.history(id)).filter((p) => p === 'queued->encoding')).toHaveLength(2);
    await vi.waitFor(async () =>
      expect(await second.registry.list({ type: 'clips.encode' })).toEqual([expect.objectContaining({ id: job!.id, state: 'succeeded', attempts: 1 })]),
    );
  });
});
