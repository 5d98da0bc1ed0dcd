/**
 * kill -9 on the production code path (issue 14): the child process
 * (fixtures/jobs-crash-prod-child.ts) runs the production encoder
 * (FfmpegEncoder cutting from a real HLS ring buffer) and the production
 * local destination (LocalDestination); the test watches the files it writes
 * and SIGKILLs it while ffmpeg writes `<id>.mp4.part`, or while the
 * destination copies the clip. A new engine on the same database recovers.
 *
 * Broken on purpose to see these tests fail (then restored):
 * - recovery's sweep leaving `.part` files (`|| name.endsWith('.part')` in
 *   the skip test of `sweepOutputDir`, src/jobs/files.ts): with no encode
 *   attempt left the `.part` stays in the output folder; with one left the
 *   retry's encode clears it, but `removedFiles` misses it;
 * - the local destination writing in place (`temp = target` in
 *   src/destinations/local.ts, rename skipped): the upload test fails (half
 *   a clip under the final name after the crash);
 * - the local destination without `removeDeadTemps`: the upload test fails
 *   (the crashed copy's `.tmp` stays in the destination folder).
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnScript } from '@streamsuites/testing';
import { FfmpegEncoder } from '../src/cut/encoder.js';
import { LocalDestination } from '../src/destinations/local.js';
import { fileSize } from '../src/jobs/files.js';
import { ffprobe } from './fixtures/jobs-media.js';
import { ffmpegPidsIn } from './media-helpers.js';
import { fixture, listDir, onCleanup, openEngine, path, readClips, tempDir, UPLOAD_RETRIED_ONCE } from './jobs-helpers.js';
import { generateBuffer, makeTempDir, removeDir } from './media-helpers.js';

const CLIP_SEC = 10;
let bufferDir = '';
let playlist = '';

beforeAll(async () => {
  bufferDir = await makeTempDir('ss-clips-crash-buffer-');
  playlist = await generateBuffer(bufferDir, { seconds: CLIP_SEC + 4 });
}, 120_000);
afterAll(() => removeDir(bufferDir));

/**
 * Polls (every 10 ms, 60 s deadline) until the file `find()` names exists
 * and has grown between two looks: it is being written. Returns its path and sizes.
 */
async function whileGrowing(find: () => string | undefined): Promise<{ file: string; sizes: number[] }> {
  let file: string | undefined;
  const sizes: number[] = [];
  await vi.waitFor(
    () => {
      file ??= find();
      const size = file === undefined ? undefined : fileSize(file);
      if (size !== undefined && size > 0 && size !== sizes.at(-1)) sizes.push(size);
      if (sizes.length < 2) throw new Error(`no file growing yet (${file ?? 'none'}: ${sizes.join(', ')})`);
    },
    { timeout: 60_000, interval: 10 },
  );
  return { file: file!, sizes };
}

/**
 * Starts the child, waits for the clip to reach `state` and for `watch(id)`
 * to name a growing file, then SIGKILLs the child (a crash: no stop(), no
 * cleanup). The ffmpeg it may have spawned keeps running as an orphan (as it
 * would in production) until the test ends.
 */
async function crashWhileWriting(dataDir: string, crashAt: 'encode' | 'upload', maxEncodeAttempts: number, watch: (id: string) => string | undefined) {
  const child = spawnScript(fixture('jobs-crash-prod-child.ts'), [dataDir, playlist, crashAt, String(maxEncodeAttempts), String(CLIP_SEC)]);
  const closed = once(child.child, 'close');
  const state = crashAt === 'encode' ? 'encoding' : 'uploading';
  try {
    await child.until(` ${state}\n`);
    const id = new RegExp(`^state (\\w{6}) ${state}$`, 'm').exec(child.stdout())![1]!;
    const growing = await whileGrowing(() => watch(id));
    return { id, pid: child.child.pid!, ...growing };
  } finally {
    child.child.kill('SIGKILL');
    await closed;
    expect(child.child.signalCode, child.stderr()).toBe('SIGKILL');
    const orphans = ffmpegPidsIn(dataDir);
    onCleanup(() => {
      for (const pid of orphans) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already finished
        }
      }
    });
  }
}

/** A recovering engine on the same files, with the production encoder and local destination. */
function restart(dataDir: string, maxEncodeAttempts: number) {
  return openEngine({
    dataDir,
    encoder: new FfmpegEncoder({ reencode: { preset: 'ultrafast' } }),
    source: () => ({ playlist }),
    destinations: { local: new LocalDestination({ dir: join(dataDir, 'published') }) },
    maxEncodeAttempts,
    start: false,
  });
}

const EXPECTED_PHASE: Record<string, string> = { queued: 'encode', encoding: 'encode', encoded: 'upload', uploading: 'upload', published: 'done', failed: 'done' };

/**
 * What is wrong with the rows of `<dataDir>/streamsuites.db`: a clip in
 * flight (encoding/uploading), a clip_jobs row missing, locked or of the
 * wrong phase, a history that does not chain up to the clip's state, a
 * failed clip without an error code, rows of clips that do not exist.
 */
function rowProblems(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const problems: string[] = [];
    const clips = db.prepare('SELECT id, state, error_code AS errorCode, url FROM clips').all() as { id: string; state: string; errorCode: string | null; url: string | null }[];
    for (const clip of clips) {
      if (clip.state === 'encoding' || clip.state === 'uploading') problems.push(`${clip.id}: still ${clip.state}`);
      if (clip.state === 'failed' && clip.errorCode === null) problems.push(`${clip.id}: failed without an error code`);
      if (clip.state === 'published' && clip.url === null) problems.push(`${clip.id}: published without a URL`);
      const job = db.prepare('SELECT phase, locked_by AS lockedBy, last_error_code AS lastErrorCode FROM clip_jobs WHERE clip_id = ?').get(clip.id) as
        | { phase: string; lockedBy: string | null; lastErrorCode: string | null }
        | undefined;
      if (job === undefined) problems.push(`${clip.id}: no clip_jobs row`);
      else {
        if (job.phase !== EXPECTED_PHASE[clip.state]) problems.push(`${clip.id}: job phase ${job.phase} with state ${clip.state}`);
        if (job.lockedBy !== null) problems.push(`${clip.id}: job still locked by ${job.lockedBy}`);
        if (clip.state === 'failed' && job.lastErrorCode !== clip.errorCode) problems.push(`${clip.id}: job error ${job.lastErrorCode} vs clip ${clip.errorCode}`);
      }
      const history = db.prepare('SELECT from_state AS "from", to_state AS "to" FROM clip_state_history WHERE clip_id = ? ORDER BY seq').all(clip.id) as {
        from: string | null;
        to: string;
      }[];
      let last: string | null = null;
      for (const h of history) {
        if (h.from !== last) problems.push(`${clip.id}: history ${h.from}->${h.to} after ${last}`);
        last = h.to;
      }
      if (last !== clip.state) problems.push(`${clip.id}: history ends in ${last}, the clip is ${clip.state}`);
    }
    for (const table of ['clip_jobs', 'clip_state_history']) {
      const orphans = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE clip_id NOT IN (SELECT id FROM clips)`).get() as { n: number };
      if (orphans.n > 0) problems.push(`${table}: ${orphans.n} row(s) of no clip`);
    }
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    return problems;
  } finally {
    db.close();
  }
}

describe('kill -9 while the production encoder (FfmpegEncoder) writes <id>.mp4.part', () => {
  it.each([
    { maxEncodeAttempts: 2, end: 'published' },
    { maxEncodeAttempts: 1, end: 'failed' },
  ] as const)('with $maxEncodeAttempts encode attempt(s): recovery removes the .part, the clip ends $end, no orphan row', async ({ maxEncodeAttempts, end }) => {
    const dataDir = tempDir();
    const outputDir = join(dataDir, 'clips', 'output');
    const published = join(dataDir, 'published');
    const { id, sizes } = await crashWhileWriting(dataDir, 'encode', maxEncodeAttempts, (id) => join(outputDir, `${id}.mp4.part`));
    const part = `${id}.mp4.part`;
    // What the crash left: the row says encoding, ffmpeg's partial output (written to the .part, never renamed).
    expect(sizes[1]).toBeGreaterThan(sizes[0]!);
    const file = join(dataDir, 'streamsuites.db');
    expect(readClips(file)).toEqual([expect.objectContaining({ id, state: 'encoding' })]);
    expect(listDir(outputDir)).toEqual([part]);
    expect(listDir(published)).toEqual([]);

    const t = restart(dataDir, maxEncodeAttempts);
    const report = await t.engine.start();
    const clip = await t.engine.settled(id);

    if (end === 'published') {
      expect(report).toMatchObject({ retried: [id], failed: [], enqueued: [id] });
      expect(clip).toMatchObject({ state: 'published', mode: 'reencode', job: { phase: 'done', attempts: 1, lockedBy: null } });
      expect(path(t.engine.history(id))).toEqual([
        'new->queued',
        'queued->encoding',
        'encoding->queued',
        'queued->encoding',
        'encoding->encoded',
        'encoded->uploading',
        'uploading->published',
      ]);
      expect(t.engine.history(id)[2]!.reason).toBe('interrupted: the process ended during encode attempt 1/2; retrying');
      // The clip and its poster frame (made after the cut).
      expect(listDir(outputDir)).toEqual([`${id}.jpg`, `${id}.mp4`]);
      expect(listDir(published)).toEqual([`${id}.mp4`]);
      expect((await ffprobe(join(published, `${id}.mp4`))).durationSec).toBeCloseTo(CLIP_SEC, 0);
    } else {
      expect(report).toMatchObject({ retried: [], failed: [id], enqueued: [] });
      expect(clip).toMatchObject({ state: 'failed', errorCode: 'SS_ERR_CLIP_INTERRUPTED', job: { phase: 'done', lockedBy: null } });
      expect(path(t.engine.history(id))).toEqual(['new->queued', 'queued->encoding', 'encoding->failed']);
      expect(t.engine.history(id).at(-1)!.reason).toBe('interrupted: the process ended during encode; no encode attempts left (1/1)');
      expect(listDir(outputDir)).toEqual([]);
      expect(listDir(published)).toEqual([]);
    }
    // Recovery's sweep removed the .part (not the retry's encode, which also clears its clip's leftovers).
    expect(report.removedFiles).toEqual([part]);
    expect(rowProblems(file)).toEqual([]);
  }, 120_000);
});

describe('kill -9 while the production local destination (LocalDestination) copies the clip', () => {
  it('nothing half-written under the final name; the retried upload removes the dead copy and publishes', async () => {
    const dataDir = tempDir();
    const outputDir = join(dataDir, 'clips', 'output');
    const published = join(dataDir, 'published');
    const { id, pid, file: partial, sizes } = await crashWhileWriting(dataDir, 'upload', 2, () => {
      const [first] = listDir(published);
      return first === undefined ? undefined : join(published, first);
    });
    const source = join(outputDir, `${id}.mp4`);
    const full = fileSize(source)!;
    // What the crash left: the row says uploading, the encoded clip, and a partial copy under a temp name of the dead process.
    expect(sizes[1]).toBeGreaterThan(sizes[0]!);
    expect(fileSize(partial)).toBeLessThan(full);
    const db = join(dataDir, 'streamsuites.db');
    expect(readClips(db)).toEqual([expect.objectContaining({ id, state: 'uploading' })]);
    expect(listDir(outputDir)).toEqual([`${id}.jpg`, `${id}.mp4`]);
    expect(listDir(published)).not.toContain(`${id}.mp4`);
    expect(listDir(published)).toEqual([expect.stringMatching(new RegExp(`^${id}\\.mp4\\.${pid}-[0-9a-f]{12}\\.tmp$`))]);

    const t = restart(dataDir, 2);
    expect(await t.engine.start()).toMatchObject({ retried: [id], failed: [], removedFiles: [], enqueued: [id] });
    const clip = await t.engine.settled(id);
    expect(clip).toMatchObject({ state: 'published', job: { phase: 'done', attempts: 2, lockedBy: null } });
    expect(path(t.engine.history(id))).toEqual(UPLOAD_RETRIED_ONCE);
    expect(t.engine.history(id)[4]!.reason).toMatch(/^interrupted: the process ended during upload attempt 1\/3; retrying/);
    // The dead copy's temp file is gone; the published file is the whole clip.
    expect(listDir(published)).toEqual([`${id}.mp4`]);
    expect(readFileSync(join(published, `${id}.mp4`)).equals(readFileSync(source))).toBe(true);
    // Recovery's sweep keeps the recorded poster with the clip.
    expect(listDir(outputDir)).toEqual([`${id}.jpg`, `${id}.mp4`]);
    expect(rowProblems(db)).toEqual([]);
  }, 120_000);
});
