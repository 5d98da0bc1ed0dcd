import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnScript } from '@streamsuites/testing';
import { ffmpegEncoder, ffprobe } from './fixtures/jobs-media.js';
import { fixture, listDir, onCleanup, openEngine, path, readClips, tempDir } from './jobs-helpers.js';

/**
 * Runs the crash child until `ready` shows on its stdout, checks it, then
 * SIGKILLs it (a crash: no stop(), no cleanup). The ffmpeg it spawned is not
 * killed with it (it keeps running as an orphan, as it would in production);
 * it is killed when the test ends.
 */
async function crashChild(dataDir: string, crashAt: 'encode' | 'upload', maxEncodeAttempts: number, ready: RegExp) {
  const child = spawnScript(fixture('jobs-crash-child.ts'), [dataDir, crashAt, String(maxEncodeAttempts), '4']);
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

describe('kill -9 of the process running a clip', () => {
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
    const report = t.engine.start();
    expect(report).toMatchObject({ retried: [id], failed: [], removedFiles: [basename(partial!)] });
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
    expect(t.engine.start()).toMatchObject({ retried: [], failed: [id] });
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
    expect(t.engine.start()).toMatchObject({ retried: [id], removedFiles: [] });
    const clip = await t.engine.settled(id);
    expect(clip).toMatchObject({ state: 'published', job: { attempts: 2 } });
    expect(path(t.engine.history(id))).toEqual([
      'new->queued',
      'queued->encoding',
      'encoding->encoded',
      'encoded->uploading',
      'uploading->encoded',
      'encoded->uploading',
      'uploading->published',
    ]);
    expect(t.engine.history(id)[4]!.reason).toMatch(/^interrupted: the process ended during upload attempt 1\/3; retrying/);
    expect(listDir(t.engine.outputDir)).toEqual([`${id}.mp4`]);
    expect(listDir(t.published)).toEqual([`${id}.mp4`]);
    expect(noneInFlight(file)).toEqual([]);
  });
});
