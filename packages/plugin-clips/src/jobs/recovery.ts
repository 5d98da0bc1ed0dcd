import type { ClipRecord } from '../db/clip-store.js';
import { unlocked, type ClipEngine } from './context.js';
import { SS_ERR_CLIP_INTERRUPTED, SS_ERR_CLIP_OUTPUT_MISSING } from './errors.js';
import { clipFileName, ensureDir, fileSize, posterFileName, sweepOutputDir } from './files.js';
import { CLIP_ENCODE_JOB, CLIP_UPLOAD_JOB, type ClipJobPayload } from './job-types.js';
import type { ClipRecoveryReport } from './options.js';

/**
 * Crash recovery of the clip records, run by `start()` before any step runs:
 * - a clip left in `encoding` goes back to `queued` (its partial output
 *   removed by the sweep) while it has encode attempts left, else to
 *   `failed` (SS_ERR_CLIP_INTERRUPTED); the interrupted attempt counts;
 * - a clip left in `uploading` goes back to `encoded` while it has upload
 *   attempts left and its file, else to `failed`;
 * - every file of the output folder that is not the `<id>.mp4` of an
 *   encoded, uploading or published (not expired) clip (or its recorded
 *   poster `<id>.jpg`) is removed;
 * - retention runs.
 * Jobs are not touched here: see `enqueueMissing`.
 */
export function recoverClips(engine: ClipEngine): ClipRecoveryReport {
  ensureDir(engine.outputDir);
  const now = engine.clock.now();
  const report: ClipRecoveryReport = { retried: [], failed: [], removedFiles: [], expired: [], enqueued: [] };
  for (const clip of engine.store.inStates(['encoding', 'uploading'])) {
    const encoding = clip.state === 'encoding';
    const step = encoding ? 'encode' : 'upload';
    const { attempts, maxAttempts } = clip.job;
    const interrupted = new SS_ERR_CLIP_INTERRUPTED(clip.id, clip.state, attempts);
    const hasFile = encoding || fileSize(engine.outputPath(clip)) !== undefined;
    let moved: ClipRecord | undefined;
    if (attempts < maxAttempts && hasFile) {
      moved = engine.db.write(() =>
        engine.store.transition(
          clip.id,
          clip.state,
          encoding ? 'queued' : 'encoded',
          now,
          `interrupted: the process ended during ${step} attempt ${attempts}/${maxAttempts}; retrying` +
            (encoding ? '' : ' (the destination may have received part or all of the upload)'),
          { job: { ...unlocked, nextRunAt: now, lastError: interrupted.message, lastErrorCode: interrupted.code } },
        ),
      );
      if (moved !== undefined) report.retried.push(clip.id);
    } else {
      const error = hasFile ? interrupted : new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, engine.outputPath(clip), 'the file is gone');
      const why = hasFile ? `no ${step} attempts left (${attempts}/${maxAttempts})` : 'its file is gone';
      moved = engine.db.write(() =>
        engine.store.transition(clip.id, clip.state, 'failed', now, `interrupted: the process ended during ${step}; ${why}`, {
          error: error.message,
          errorCode: error.code,
          job: { ...unlocked, phase: 'done', nextRunAt: null, lastError: error.message, lastErrorCode: error.code },
        }),
      );
      if (moved !== undefined) report.failed.push(clip.id);
    }
    if (moved !== undefined) engine.emit(moved, clip.state, moved.state, moved.state === 'failed' ? 'interrupted' : 'interrupted; retrying');
  }
  const keep = new Set(
    engine.store
      .inStates(['encoded', 'uploading', 'published'])
      .filter((c) => c.expiredAt === null)
      .flatMap((c) => [clipFileName(c.id), ...(c.posterPath === null ? [] : [posterFileName(c.id)])]),
  );
  report.removedFiles = sweepOutputDir(engine.outputDir, keep);
  if (report.removedFiles.length > 0) engine.logger?.info({ files: report.removedFiles, dir: engine.outputDir }, 'clips: removed orphan files');
  report.expired = engine.runRetention().expired;
  return report;
}

/** Clip ids with a queued or running job of each step in the registry. */
export async function liveJobs(engine: ClipEngine): Promise<{ encode: Set<string>; upload: Set<string> }> {
  const ids = async (type: string) => {
    const jobs = await engine.registry.list({ type, state: ['queued', 'running'] });
    return new Set(jobs.map((job) => (job.payload as ClipJobPayload | undefined)?.clipId).filter((id): id is string => typeof id === 'string'));
  };
  const [encode, upload] = await Promise.all([ids(CLIP_ENCODE_JOB), ids(CLIP_UPLOAD_JOB)]);
  return { encode, upload };
}

/**
 * The clip record is the truth: a clip waiting for a step (queued: encode,
 * encoded: upload) whose job the registry does not hold (an in-memory
 * registry after a restart, or an enqueue a crash cut short) gets it again,
 * with the attempts it has left. A durable registry re-queues its own
 * interrupted jobs: those clips are found in `live` and get no second job.
 * Synchronous, so no clip created meanwhile is missed or doubled.
 */
export function enqueueMissing(engine: ClipEngine, live: { encode: Set<string>; upload: Set<string> }): string[] {
  const enqueued: string[] = [];
  for (const clip of engine.store.inStates(['queued', 'encoded'])) {
    const step = clip.state === 'queued' ? 'encode' : 'upload';
    if (live[step].has(clip.id)) continue;
    engine.enqueue(clip, step);
    enqueued.push(clip.id);
  }
  return enqueued;
}
