import { join } from 'node:path';
import { backoffDelay, isStreamSuitesError, type JsonValue, type StreamSuitesError } from '@streamsuites/kernel';
import type { ClipPatch, ClipRecord } from '../db/clip-store.js';
import type { ClipState, CutRequest } from '../types.js';
import { describeError, unlocked, type ClipEngine } from './context.js';
import {
  SS_ERR_CLIP_DESTINATION_FAILED,
  SS_ERR_CLIP_DESTINATION_UNKNOWN,
  SS_ERR_CLIP_ENCODE_FAILED,
  SS_ERR_CLIP_NO_SOURCE,
  SS_ERR_CLIP_OUTPUT_MISSING,
  SS_ERR_CLIP_TIMEOUT,
} from './errors.js';
import { SS_ERR_CLIPS_POSTER_FAILED } from '../ffmpeg/errors.js';
import { clipFileName, ensureDir, fileSize, posterFileName, removeClipFiles, removeFile } from './files.js';
import { maskLocalPaths } from './views.js';
import type { ClipStep } from './options.js';

/** One attempt of a step job, as the registry runs it. */
export interface StepAttempt {
  /** The job's signal (timeout, cancel, kernel stop), joined with the engine's stop. */
  signal: AbortSignal;
  /** The job's attempt number and limit: the registry retries while `attempt < maxAttempts`. */
  attempt: number;
  maxAttempts: number;
}

/** Codes of the job registry's abort reasons (its error classes live with its implementation, not in the contract). */
const JOB_TIMEOUT = 'SS_ERR_JOB_TIMEOUT';
const JOB_INTERRUPTED = 'SS_ERR_JOB_INTERRUPTED';
const JOB_CANCELLED = 'SS_ERR_JOB_CANCELLED';
const codeOf = (value: unknown): string | undefined => (isStreamSuitesError(value) ? value.code : undefined);

const waiting = (step: ClipStep): ClipState => (step === 'encode' ? 'queued' : 'encoded');
const working = (step: ClipStep): ClipState => (step === 'encode' ? 'encoding' : 'uploading');

/**
 * Takes the clip for one attempt of `step` (queued → encoding or encoded →
 * uploading, attempts + 1): a compare-and-set on the clip row, so a job for a
 * clip that moved on (finished, failed by recovery, taken by another job)
 * does nothing.
 */
export function claimClip(engine: ClipEngine, id: string, step: ClipStep): ClipRecord | undefined {
  const now = engine.clock.now();
  const from = waiting(step);
  const claimed = engine.db.write(() => {
    const clip = engine.store.get(id);
    if (clip === undefined || clip.state !== from) return undefined;
    const attempt = clip.job.attempts + 1;
    return engine.store.transition(id, from, working(step), now, `${step} attempt ${attempt}/${clip.job.maxAttempts}`, {
      job: { attempts: attempt, lockedBy: engine.workerId, lockedAt: now, nextRunAt: null },
    });
  });
  if (claimed !== undefined) engine.emit(claimed, from, claimed.state, 'claimed');
  return claimed;
}

/**
 * Runs one attempt of a claimed clip's step and records how it ended. Resolves
 * with a JSON result when the job is done (the step succeeded, or the clip
 * failed for good while the job still had attempts: a non-retryable failure);
 * throws when the registry must retry the job (or fail it on its last attempt).
 */
export async function runClipStep(engine: ClipEngine, step: ClipStep, clip: ClipRecord, attempt: StepAttempt): Promise<JsonValue> {
  try {
    const done = step === 'encode' ? await encode(engine, clip, attempt.signal) : await upload(engine, clip, attempt.signal);
    return { clipId: clip.id, state: done?.state ?? 'moved' };
  } catch (error) {
    if (step === 'encode') removeClipFiles(engine.outputDir, clip.id);
    return attemptFailed(engine, clip, step, describeFailure(engine, error, clip, step, attempt.signal), attempt);
  }
}

async function encode(engine: ClipEngine, clip: ClipRecord, signal: AbortSignal): Promise<ClipRecord | undefined> {
  const output = join(engine.outputDir, clipFileName(clip.id));
  ensureDir(engine.outputDir);
  removeClipFiles(engine.outputDir, clip.id); // leftovers of an earlier attempt
  const source = engine.options.source(clip);
  if (source === undefined) throw new SS_ERR_CLIP_NO_SOURCE(clip.creatorId, clip.platform);
  const request: CutRequest = { ...source, seconds: clip.seconds, mode: clip.mode, output };
  const result = await race(signal, engine.options.encoder.cut(request, signal));
  const size = fileSize(output);
  if (size === undefined || size === 0) throw new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, output, size === 0 ? 'the file is empty' : 'the encoder wrote no file there');
  const durationSec = result.probe.durationSec > 0 ? result.probe.durationSec : result.seconds;
  if (!(durationSec > 0)) throw new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, output, 'the verified clip has no duration');
  // After the cut (and its timing): the poster is a step of its own whose failure is never the clip's.
  const posterPath = await makeClipPoster(engine, clip, output, durationSec, signal);
  const now = engine.clock.now();
  const encoded = engine.db.write(() =>
    engine.store.transition(
      clip.id,
      'encoding',
      'encoded',
      now,
      `encoded ${durationSec.toFixed(2)} s (${size} bytes)${result.clamped ? ', clamped to the buffer' : ''}`,
      {
        outputPath: output,
        posterPath,
        durationSec,
        job: { ...unlocked, phase: 'upload', attempts: 0, maxAttempts: engine.limits.maxUpload, nextRunAt: now, lastError: null, lastErrorCode: null },
      },
    ),
  );
  if (encoded !== undefined) {
    engine.emit(encoded, 'encoding', 'encoded', 'encoded');
    engine.enqueue(encoded, 'upload');
  }
  return encoded;
}

/**
 * The clip's JPEG poster frame next to its mp4 (`<id>.jpg`, a frame ~1 s in,
 * at most 640 px wide), when the encoder makes posters. Resolves with its
 * path, or null when there is none: a failure is logged as a warning
 * (without local paths) and counted, and the clip goes on without a poster.
 * Only an abort of the attempt (timeout, stop) is thrown, as for the cut.
 */
async function makeClipPoster(engine: ClipEngine, clip: ClipRecord, output: string, durationSec: number, signal: AbortSignal): Promise<string | null> {
  const { encoder } = engine.options;
  if (engine.options.posters === false || typeof encoder.poster !== 'function') return null;
  const poster = join(engine.outputDir, posterFileName(clip.id));
  try {
    await race(signal, encoder.poster({ input: output, output: poster, atSec: Math.min(1, durationSec / 2) }, signal));
    if (!(fileSize(poster)! > 0)) throw new SS_ERR_CLIPS_POSTER_FAILED(poster, 'the encoder wrote no file there');
    engine.posters.made += 1;
    return poster;
  } catch (error) {
    removeFile(poster);
    removeFile(`${poster}.part`);
    if (signal.aborted) throw error;
    engine.posters.failed += 1;
    engine.logger?.warn(
      { clipId: clip.id, creatorId: clip.creatorId, code: isStreamSuitesError(error) ? error.code : undefined, reason: maskLocalPaths(describeError(error)), postersFailed: engine.posters.failed },
      'clips: no poster frame for this clip (it goes on without one)',
    );
    return null;
  }
}

async function upload(engine: ClipEngine, clip: ClipRecord, signal: AbortSignal): Promise<ClipRecord | undefined> {
  const name = clip.destination ?? '(none)';
  const destination = engine.destinationOf(clip).destination;
  const path = engine.outputPath(clip);
  if (fileSize(path) === undefined) throw new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, path, 'the file is gone');
  const file = { clipId: clip.id, creatorId: clip.creatorId, path, title: clip.title, durationSec: clip.durationSec ?? clip.seconds };
  const { url } = await race(signal, destination.upload(file, signal));
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048 || /\p{Cc}/u.test(url)) {
    throw new SS_ERR_CLIP_DESTINATION_FAILED(name, 'it returned no usable URL');
  }
  const now = engine.clock.now();
  const published = engine.db.write(() =>
    engine.store.transition(clip.id, 'uploading', 'published', now, `published to ${name}`, {
      url,
      publishedAt: now,
      error: null,
      errorCode: null,
      job: { ...unlocked, phase: 'done', nextRunAt: null, lastError: null, lastErrorCode: null },
    }),
  );
  if (published !== undefined) {
    // Retention first, so whoever waits for 'published' sees the folder already trimmed.
    engine.background(() => engine.runRetention());
    engine.emit(published, 'uploading', 'published', 'published');
  }
  return published;
}

/**
 * A failed attempt, recorded on the clip: back to queued/encoded (the job is
 * retried by the registry after its backoff) while both the clip and the job
 * have attempts left and the error is retryable, else failed. An attempt
 * stopped with the engine or the kernel goes back without using up an attempt.
 */
function attemptFailed(engine: ClipEngine, clip: ClipRecord, step: ClipStep, error: StreamSuitesError, attempt: StepAttempt): JsonValue {
  const from = working(step);
  const back = waiting(step);
  const now = engine.clock.now();
  const { attempts, maxAttempts } = clip.job;
  const reasonCode = attempt.signal.aborted ? codeOf(attempt.signal.reason) : undefined;
  const record = (to: ClipState, reason: string, patch: ClipPatch): void => {
    engine.logger?.warn({ clipId: clip.id, creatorId: clip.creatorId, step, to, err: error }, `clips: ${reason}`);
    const moved = engine.db.write(() => engine.store.transition(clip.id, from, to, now, reason, patch));
    if (moved === undefined) return;
    if (to === 'failed') removeClipFiles(engine.outputDir, clip.id);
    engine.emit(moved, from, to, reason);
  };
  if (attempt.signal.aborted && (engine.stopping() || reasonCode === JOB_INTERRUPTED)) {
    record(back, `${step} attempt ${attempts}/${maxAttempts} stopped with the engine; resumes on the next start`, {
      job: { ...unlocked, attempts: attempts - 1, nextRunAt: now },
    });
    throw attempt.signal.reason; // the registry gives the attempt back (or stop() cancelled the job)
  }
  const permanent = SS_ERR_CLIP_DESTINATION_UNKNOWN.is(error) || (step === 'upload' && SS_ERR_CLIP_OUTPUT_MISSING.is(error)) || reasonCode === JOB_CANCELLED;
  const retryable = !permanent && (engine.options.isRetryable?.(error, step, clip) ?? true);
  const jobLeft = attempt.attempt < attempt.maxAttempts;
  const what = `${step} attempt ${attempts}/${maxAttempts} failed (${error.code}): ${error.message}`;
  if (retryable && attempts < maxAttempts && jobLeft) {
    // The delay the registry applies before the job's next attempt (the same policy it was registered with).
    const delay = backoffDelay(engine.limits.backoff, attempt.attempt);
    record(back, `${what}; retry in ${delay} ms`, { job: { ...unlocked, nextRunAt: now + delay, lastError: error.message, lastErrorCode: error.code } });
    throw error;
  }
  record('failed', `${what}; ${retryable ? 'no attempts left' : 'not retryable'}`, {
    error: error.message,
    errorCode: error.code,
    job: { ...unlocked, phase: 'done', nextRunAt: null, lastError: error.message, lastErrorCode: error.code },
  });
  // The clip failed for good: so does its job, without the attempts it has left.
  throw Object.assign(error, { retryable: false });
}

/** The coded error of a failed attempt: a timeout of the job is SS_ERR_CLIP_TIMEOUT; plain errors are wrapped. */
function describeFailure(engine: ClipEngine, error: unknown, clip: ClipRecord, step: ClipStep, signal: AbortSignal): StreamSuitesError {
  if (signal.aborted && codeOf(signal.reason) === JOB_TIMEOUT) {
    const ms = step === 'encode' ? engine.limits.encodeTimeoutMs : engine.limits.uploadTimeoutMs;
    return new SS_ERR_CLIP_TIMEOUT(clip.id, step, ms, { cause: error });
  }
  if (isStreamSuitesError(error)) return error;
  return step === 'encode'
    ? new SS_ERR_CLIP_ENCODE_FAILED(clip.id, describeError(error), { cause: error })
    : new SS_ERR_CLIP_DESTINATION_FAILED(clip.destination ?? '(none)', describeError(error), { cause: error });
}

/** Settles as soon as the signal aborts, so an encoder or destination that ignores it cannot hold the job. */
function race<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
