import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { backoffDelay, isStreamSuitesError, systemClock, type Clock, type Logger, type StreamSuitesError } from '@streamsuites/kernel';
import { ClipStore, type ClipHistoryEntry, type ClipListFilter, type ClipPatch, type ClipRecord } from '../db/clip-store.js';
import type { ClipsDatabase } from '../db/database.js';
import type { ClipDestination, ClipState, CutMode, CutRequest, Encoder } from '../types.js';
import {
  SS_ERR_CLIP_DESTINATION_FAILED,
  SS_ERR_CLIP_DESTINATION_UNKNOWN,
  SS_ERR_CLIP_ENCODE_FAILED,
  SS_ERR_CLIP_ID_EXHAUSTED,
  SS_ERR_CLIP_INTERRUPTED,
  SS_ERR_CLIP_INVALID,
  SS_ERR_CLIP_NO_SOURCE,
  SS_ERR_CLIP_NOT_FOUND,
  SS_ERR_CLIP_OUTPUT_MISSING,
  SS_ERR_CLIP_TIMEOUT,
  SS_ERR_CLIPS_DB,
} from './errors.js';
import { clipFileName, ensureDir, fileSize, removeClipFiles, removeFile, sweepOutputDir } from './files.js';
import { cryptoRandom, drawClipId, isClipId, type RandomSource } from './ids.js';
import { DEFAULT_TITLE_MAX_LENGTH, sanitizeTitle } from './title.js';
import { toPublicClip, type PublicClip } from './views.js';

/** What the capture offers for a clip: at least its playlist; `seconds`, `mode` and `output` are the engine's. */
export type ClipSourceInfo = Omit<Partial<CutRequest>, 'seconds' | 'mode' | 'output'> & { playlist: string };

/**
 * Finds the live capture to cut a clip from (called at each encode attempt).
 * Undefined means nothing to cut (SS_ERR_CLIP_NO_SOURCE).
 */
export type ClipSourceResolver = (clip: ClipRecord) => ClipSourceInfo | undefined;

export type ClipStep = 'encode' | 'upload';

/** Picks the destination of a clip; undefined means none (SS_ERR_CLIP_DESTINATION_UNKNOWN). */
export type ClipDestinationResolver = (clip: { creatorId: string; platform: string; destination: string | null }) => ClipDestination | undefined;

export interface ClipRetentionOptions {
  /** Delete local files of published clips created more than this many days ago (strictly older). */
  maxAgeDays?: number;
  /** Keep the output folder under this many bytes: delete published clips' files, oldest first. */
  maxTotalBytes?: number;
  /** How often retention runs besides at start and after each publish (default 1 hour). */
  intervalMs?: number;
}

export interface ClipJobsOptions {
  db: ClipsDatabase;
  encoder: Encoder;
  source: ClipSourceResolver;
  /**
   * Destinations by name (a clip names one, or gets `defaultDestination`), or
   * a resolver called at create (to check) and at each upload, e.g. the
   * creator's resolved destination. With a resolver the clip's `destination`
   * column is the requested name, else the destination's kind.
   */
  destinations: Readonly<Record<string, ClipDestination>> | ClipDestinationResolver;
  /** Default: the only destination when exactly one is configured (by-name form only). */
  defaultDestination?: string;
  /** Where clips are written as `<id>.mp4`; default `<folder of the database>/clips/output`. The folder belongs to the engine. */
  outputDir?: string;
  /** Clips worked on at once (encode, then upload, in one slot). Default 2. */
  concurrency?: number;
  /** Clips of one creator worked on at once. Default 1. */
  perCreatorConcurrency?: number;
  /** Encode attempts per clip, interrupted ones (a crash) included. Default 2. */
  maxEncodeAttempts?: number;
  /** Upload attempts per clip. Default 3. */
  maxUploadAttempts?: number;
  /** Delay before attempt n+1: min(maxMs, baseMs × 2^(n-1)). Default 5 s, at most 5 min. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Default 5 minutes; then the cut is aborted and counts as a failed attempt (SS_ERR_CLIP_TIMEOUT). */
  encodeTimeoutMs?: number;
  /** Default 10 minutes. */
  uploadTimeoutMs?: number;
  /** Whether a failed attempt may be retried (default: yes while attempts remain). A missing destination or file never is. */
  isRetryable?: (error: StreamSuitesError, step: ClipStep, clip: ClipRecord) => boolean;
  /** Longest clip a request may ask for (default 300 s). */
  maxSeconds?: number;
  /** Title length in user-perceived characters (default 100). */
  titleMaxLength?: number;
  retention?: ClipRetentionOptions;
  /** Called after each committed state change (the plugin emits `clip.state`). A throw is logged, never breaks the engine. */
  onState?: (clip: ClipRecord, from: ClipState | null, to: ClipState, reason: string) => void;
  /** Called with failures that are not a clip's (database errors in the background). */
  onError?: (error: StreamSuitesError, clip?: ClipRecord) => void;
  clock?: Clock;
  /** Random bytes for ids (crypto by default). */
  random?: RandomSource;
  logger?: Logger;
  /** Written to clip_jobs.locked_by; default `host:pid:random`. */
  workerId?: string;
}

export interface CreateClipRequest {
  creatorId: string;
  platform: string;
  /** The last `seconds` of the stream. */
  seconds: number;
  /** Display text; sanitized, never used in a path. Default `Clip <id>`. */
  title?: string;
  /** The viewer who asked (admin-only field). */
  requestedBy?: string;
  /** Default `copy`. */
  mode?: CutMode;
  /** A destination name; default `defaultDestination`. */
  destination?: string;
  /** Idempotency key (e.g. `twitch:<message id>`): creating again with it returns the first clip. */
  requestKey?: string;
}

/** What `start()` found and did. */
export interface ClipRecoveryReport {
  /** Interrupted clips that will run again. */
  retried: string[];
  /** Interrupted clips that had no attempts left. */
  failed: string[];
  /** Files removed from the output folder (orphans, partial outputs, files of failed or expired clips). */
  removedFiles: string[];
  /** Published clips whose files retention deleted. */
  expired: string[];
}

export interface ClipRetentionReport {
  expired: string[];
  freedBytes: number;
}

const TERMINAL: ReadonlySet<ClipState> = new Set(['published', 'failed']);
const ID_TRIES = 16;
const DAY_MS = 86_400_000;

interface Slot {
  id: string;
  creatorId: string;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The durable clip job engine. Each clip is a row in `clips` with a job row
 * in `clip_jobs`, driven queued → encoding → encoded → uploading → published
 * (or failed with a reason); every state change is one transaction that also
 * appends to `clip_state_history`. A worker pool (`concurrency`, and
 * `perCreatorConcurrency` per creator) runs the Encoder then the destination
 * in one slot; failed attempts go back to queued/encoded with a backoff until
 * their attempts run out.
 *
 * One engine per database file: `start()` treats every clip left in
 * encoding/uploading as interrupted by a crash (see `recover`).
 */
export class ClipJobs {
  readonly outputDir: string;
  readonly workerId: string;
  readonly #db: ClipsDatabase;
  readonly #store: ClipStore;
  readonly #options: ClipJobsOptions;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #concurrency: number;
  readonly #perCreator: number;
  readonly #maxEncode: number;
  readonly #maxUpload: number;
  readonly #slots = new Map<string, Slot>();
  readonly #waiters = new Map<string, ((clip: ClipRecord) => void)[]>();
  #started = false;
  #stopping: Promise<void> | undefined;
  #pumping = false;
  #pumpAgain = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #retentionTimer: NodeJS.Timeout | undefined;

  constructor(options: ClipJobsOptions) {
    this.#options = options;
    this.#db = options.db;
    this.#store = new ClipStore(options.db);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandom;
    this.#concurrency = positiveInt(options.concurrency, 2, 'concurrency');
    this.#perCreator = positiveInt(options.perCreatorConcurrency, 1, 'perCreatorConcurrency');
    this.#maxEncode = positiveInt(options.maxEncodeAttempts, 2, 'maxEncodeAttempts');
    this.#maxUpload = positiveInt(options.maxUploadAttempts, 3, 'maxUploadAttempts');
    this.outputDir = resolve(options.outputDir ?? join(dirname(options.db.file), 'clips', 'output'));
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${Buffer.from(this.#random(4)).toString('hex')}`;
    const { defaultDestination, destinations } = options;
    if (defaultDestination !== undefined && typeof destinations !== 'function' && !Object.hasOwn(destinations, defaultDestination)) {
      throw new SS_ERR_CLIP_DESTINATION_UNKNOWN(defaultDestination, knownDestinations(destinations));
    }
  }

  /**
   * Recovers what a previous process left (see `#recover`), then starts the
   * workers and the retention timer. Idempotent.
   */
  start(): ClipRecoveryReport {
    if (this.#started) return { retried: [], failed: [], removedFiles: [], expired: [] };
    if (this.#stopping !== undefined) throw new SS_ERR_CLIPS_DB(this.#db.file, 'the clip engine was stopped; create a new one');
    const report = this.#recover();
    this.#started = true;
    const intervalMs = this.#options.retention?.intervalMs ?? 3_600_000;
    if (this.#retentionConfigured()) {
      this.#retentionTimer = setInterval(() => this.#background(() => this.runRetention()), intervalMs);
      this.#retentionTimer.unref();
    }
    this.#pump();
    return report;
  }

  /**
   * Crash recovery, run by `start()` before any work:
   * - a clip left in `encoding` goes back to `queued` (its partial output
   *   removed) while it has encode attempts left, else to `failed`
   *   (SS_ERR_CLIP_INTERRUPTED); the interrupted attempt counts;
   * - a clip left in `uploading` goes back to `encoded` while it has upload
   *   attempts left and its file, else to `failed`;
   * - locks left on idle jobs are released;
   * - every file of the output folder that is not the `<id>.mp4` of an
   *   encoded, uploading or published (not expired) clip is removed;
   * - retention runs.
   */
  #recover(): ClipRecoveryReport {
    ensureDir(this.outputDir);
    const now = this.#clock.now();
    const report: ClipRecoveryReport = { retried: [], failed: [], removedFiles: [], expired: [] };
    for (const clip of this.#store.inStates(['encoding', 'uploading'])) {
      const encoding = clip.state === 'encoding';
      const step = encoding ? 'encode' : 'upload';
      const { attempts, maxAttempts } = clip.job;
      const interrupted = new SS_ERR_CLIP_INTERRUPTED(clip.id, clip.state, attempts);
      const hasFile = encoding || fileSize(this.#outputPath(clip)) !== undefined;
      let moved: ClipRecord | undefined;
      if (attempts < maxAttempts && hasFile) {
        moved = this.#db.write(() =>
          this.#store.transition(
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
        const error = hasFile ? interrupted : new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, this.#outputPath(clip), 'the file is gone');
        const why = hasFile ? `no ${step} attempts left (${attempts}/${maxAttempts})` : 'its file is gone';
        moved = this.#db.write(() =>
          this.#store.transition(clip.id, clip.state, 'failed', now, `interrupted: the process ended during ${step}; ${why}`, {
            error: error.message,
            errorCode: error.code,
            job: { ...unlocked, phase: 'done', nextRunAt: null, lastError: error.message, lastErrorCode: error.code },
          }),
        );
        if (moved !== undefined) report.failed.push(clip.id);
      }
      if (moved !== undefined) this.#emit(moved, clip.state, moved.state, moved.state === 'failed' ? 'interrupted' : 'interrupted; retrying');
    }
    for (const clip of this.#store.locked()) {
      this.#db.write(() => this.#store.updateJob(clip.id, now, unlocked));
    }
    const keep = new Set(
      this.#store
        .inStates(['encoded', 'uploading', 'published'])
        .filter((c) => c.expiredAt === null)
        .map((c) => clipFileName(c.id)),
    );
    report.removedFiles = sweepOutputDir(this.outputDir, keep);
    if (report.removedFiles.length > 0) this.#options.logger?.info({ files: report.removedFiles, dir: this.outputDir }, 'clips: removed orphan files');
    report.expired = this.runRetention().expired;
    return report;
  }

  /**
   * Records a clip request as `queued` (or returns the clip already created
   * with the same `requestKey`) and wakes the workers. Throws
   * SS_ERR_CLIP_INVALID, SS_ERR_CLIP_DESTINATION_UNKNOWN,
   * SS_ERR_CLIP_ID_EXHAUSTED or a database error.
   */
  create(request: CreateClipRequest): ClipRecord {
    const valid = this.#validate(request);
    const now = this.#clock.now();
    const created = this.#db.write(() => {
      if (valid.requestKey !== null) {
        const existing = this.#store.getByRequestKey(valid.requestKey);
        if (existing !== undefined) return { clip: existing, isNew: false };
      }
      for (let tries = 0; tries < ID_TRIES; tries++) {
        const id = drawClipId(this.#random);
        if (id === undefined || this.#store.exists(id) || fileSize(join(this.outputDir, clipFileName(id))) !== undefined) continue;
        const clip = this.#store.insert(
          {
            id,
            creatorId: valid.creatorId,
            platform: valid.platform,
            title: valid.title === '' ? `Clip ${id}` : valid.title,
            requestedBy: valid.requestedBy,
            requestKey: valid.requestKey,
            seconds: valid.seconds,
            mode: valid.mode,
            destination: valid.destination,
            createdAt: now,
            maxAttempts: this.#maxEncode,
          },
          'requested',
        );
        return { clip, isNew: true };
      }
      throw new SS_ERR_CLIP_ID_EXHAUSTED(ID_TRIES);
    });
    if (created.isNew) {
      this.#emit(created.clip, null, 'queued', 'requested');
      this.#pump();
    }
    return created.clip;
  }

  /** The clip (admin view); SS_ERR_CLIP_NOT_FOUND when there is none. */
  get(id: string): ClipRecord {
    const clip = this.find(id);
    if (clip === undefined) throw new SS_ERR_CLIP_NOT_FOUND(String(id));
    return clip;
  }

  /** The clip, or undefined (a malformed id is never looked up). */
  find(id: string): ClipRecord | undefined {
    return isClipId(id) ? this.#store.get(id) : undefined;
  }

  /** Clips, newest first (admin view: requester, paths, errors, job). */
  list(filter: ClipListFilter = {}): ClipRecord[] {
    return this.#store.list(filter);
  }

  /** Published clips, newest first, in the public view (no viewer ids, paths or errors). */
  listPublic(filter: Omit<ClipListFilter, 'states'> = {}): PublicClip[] {
    return this.#store.list({ ...filter, states: ['published'] }).map(toPublicClip);
  }

  /** Every state change of a clip, oldest first. */
  history(id: string): ClipHistoryEntry[] {
    this.get(id);
    return this.#store.history(id);
  }

  /** Resolves with the clip once it is published or failed (at once if it already is). */
  settled(id: string): Promise<ClipRecord> {
    const clip = this.get(id);
    if (TERMINAL.has(clip.state)) return Promise.resolve(clip);
    return new Promise((resolve) => {
      const list = this.#waiters.get(id) ?? [];
      list.push(resolve);
      this.#waiters.set(id, list);
    });
  }

  /** Ids of the clips being worked on now. */
  running(): string[] {
    return [...this.#slots.keys()];
  }

  /**
   * Deletes local files of published clips past `maxAgeDays`, then the
   * oldest ones while the output folder is over `maxTotalBytes` (files of
   * clips still to upload count but are never deleted). The rows stay, with
   * `expiredAt` set. Runs at start, after each publish and every `intervalMs`.
   */
  runRetention(): ClipRetentionReport {
    const report: ClipRetentionReport = { expired: [], freedBytes: 0 };
    const retention = this.#options.retention;
    if (!this.#retentionConfigured() || retention === undefined) return report;
    const now = this.#clock.now();
    const candidates = this.#store.publishedWithFiles().map((clip) => ({ clip, path: this.#outputPath(clip), size: fileSize(this.#outputPath(clip)) }));
    const expire = new Set<(typeof candidates)[number]>();
    for (const c of candidates) {
      if (c.size === undefined) expire.add(c); // already gone: record it
      else if (retention.maxAgeDays !== undefined && c.clip.createdAt < now - retention.maxAgeDays * DAY_MS) expire.add(c);
    }
    if (retention.maxTotalBytes !== undefined) {
      const pending = this.#store.inStates(['encoded', 'uploading']).reduce((sum, clip) => sum + (fileSize(this.#outputPath(clip)) ?? 0), 0);
      let total = pending + candidates.reduce((sum, c) => sum + (expire.has(c) ? 0 : (c.size ?? 0)), 0);
      for (const c of candidates) {
        if (total <= retention.maxTotalBytes) break;
        if (expire.has(c)) continue;
        expire.add(c);
        total -= c.size ?? 0;
      }
    }
    for (const c of candidates) {
      if (!expire.has(c)) continue;
      removeFile(c.path); // file first: a crash in between leaves a row the next run marks, never a file without a row
      this.#db.write(() => this.#store.markExpired(c.clip.id, now));
      report.expired.push(c.clip.id);
      report.freedBytes += c.size ?? 0;
    }
    if (report.expired.length > 0) this.#options.logger?.info({ clips: report.expired, freedBytes: report.freedBytes }, 'clips: retention deleted local files');
    return report;
  }

  /**
   * Stops the workers: running attempts are aborted and go back to
   * queued/encoded without using up an attempt, so the next start resumes
   * them. Idempotent. Does not close the database.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  async #doStop(): Promise<void> {
    clearTimeout(this.#timer);
    clearInterval(this.#retentionTimer);
    const slots = [...this.#slots.values()];
    for (const slot of slots) slot.controller.abort();
    await Promise.all(slots.map((s) => s.done));
  }

  // ---- workers ------------------------------------------------------------

  #pump(): void {
    if (!this.#started || this.#stopping !== undefined) return;
    if (this.#pumping) {
      this.#pumpAgain = true; // an onState listener created a clip while we were claiming
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        const seen = new Set<string>();
        while (this.#slots.size < this.#concurrency) {
          const id = this.#store.nextDue(this.#clock.now(), this.#busyCreators());
          if (id === undefined || seen.has(id)) break;
          seen.add(id);
          const claimed = this.#claim(id);
          if (claimed !== undefined) this.#startSlot(claimed);
        }
      } while (this.#pumpAgain && this.#stopping === undefined);
      this.#schedule();
    } catch (error) {
      this.#reportError(error);
      this.#schedule(this.#clock.now() + 1000); // the database was busy or failing: try again
    } finally {
      this.#pumping = false;
    }
  }

  #schedule(at?: number): void {
    if (this.#stopping !== undefined) return;
    const due = at ?? (this.#slots.size < this.#concurrency ? this.#store.nextRunAt(this.#busyCreators()) : undefined);
    if (due === undefined) return;
    if (this.#timer !== undefined && this.#timerAt <= due) return;
    clearTimeout(this.#timer);
    this.#timerAt = due;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        this.#pump();
      },
      Math.max(1, due - this.#clock.now()),
    );
  }

  #busyCreators(): string[] {
    const counts = new Map<string, number>();
    for (const slot of this.#slots.values()) counts.set(slot.creatorId, (counts.get(slot.creatorId) ?? 0) + 1);
    return [...counts].filter(([, n]) => n >= this.#perCreator).map(([creator]) => creator);
  }

  /** Takes an idle, due clip: queued → encoding or encoded → uploading, attempts + 1, locked by us. */
  #claim(id: string): ClipRecord | undefined {
    const now = this.#clock.now();
    const claimed = this.#db.write(() => {
      const clip = this.#store.get(id);
      if (clip === undefined || clip.job.lockedBy !== null || (clip.state !== 'queued' && clip.state !== 'encoded')) return undefined;
      const encode = clip.state === 'queued';
      const attempt = clip.job.attempts + 1;
      return this.#store.transition(
        id,
        clip.state,
        encode ? 'encoding' : 'uploading',
        now,
        `${encode ? 'encode' : 'upload'} attempt ${attempt}/${clip.job.maxAttempts}`,
        { job: { attempts: attempt, lockedBy: this.workerId, lockedAt: now } },
      );
    });
    if (claimed !== undefined) this.#emit(claimed, claimed.state === 'encoding' ? 'queued' : 'encoded', claimed.state, 'claimed');
    return claimed;
  }

  #startSlot(clip: ClipRecord): void {
    const controller = new AbortController();
    const slot: Slot = { id: clip.id, creatorId: clip.creatorId, controller, done: Promise.resolve() };
    this.#slots.set(clip.id, slot);
    slot.done = this.#run(clip, controller.signal)
      .catch((error: unknown) => this.#reportError(error, clip))
      .finally(() => {
        this.#slots.delete(clip.id);
        this.#pump();
      });
  }

  async #run(clip: ClipRecord, signal: AbortSignal): Promise<void> {
    let current: ClipRecord | undefined = clip;
    if (current.state === 'encoding') {
      current = await this.#encode(current, signal);
      // Encoded: upload in the same slot, unless we are stopping.
      if (current?.state !== 'encoded' || signal.aborted || this.#stopping !== undefined) return;
      current = this.#claim(current.id);
    }
    if (current?.state === 'uploading') await this.#upload(current, signal);
  }

  async #encode(clip: ClipRecord, signal: AbortSignal): Promise<ClipRecord | undefined> {
    const output = join(this.outputDir, clipFileName(clip.id));
    const step = bounded(signal, this.#options.encodeTimeoutMs ?? 300_000);
    try {
      ensureDir(this.outputDir);
      removeClipFiles(this.outputDir, clip.id); // leftovers of an earlier attempt
      const source = this.#options.source(clip);
      if (source === undefined) throw new SS_ERR_CLIP_NO_SOURCE(clip.creatorId, clip.platform);
      const request: CutRequest = { ...source, seconds: clip.seconds, mode: clip.mode, output };
      const result = await step.race(this.#options.encoder.cut(request, step.signal));
      const size = fileSize(output);
      if (size === undefined || size === 0) throw new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, output, size === 0 ? 'the file is empty' : 'the encoder wrote no file there');
      const durationSec = result.probe.durationSec > 0 ? result.probe.durationSec : result.seconds;
      if (!(durationSec > 0)) throw new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, output, 'ffprobe found no duration');
      const now = this.#clock.now();
      const encoded = this.#db.write(() =>
        this.#store.transition(
          clip.id,
          'encoding',
          'encoded',
          now,
          `encoded ${durationSec.toFixed(2)} s (${size} bytes)${result.clamped ? ', clamped to the buffer' : ''}`,
          {
            outputPath: output,
            durationSec,
            job: { ...unlocked, phase: 'upload', attempts: 0, maxAttempts: this.#maxUpload, nextRunAt: now, lastError: null, lastErrorCode: null },
          },
        ),
      );
      if (encoded !== undefined) this.#emit(encoded, 'encoding', 'encoded', 'encoded');
      return encoded;
    } catch (error) {
      removeClipFiles(this.outputDir, clip.id);
      return this.#attemptFailed(clip, 'encode', step.describe(error, clip, 'encode'), signal);
    } finally {
      step.dispose();
    }
  }

  async #upload(clip: ClipRecord, signal: AbortSignal): Promise<ClipRecord | undefined> {
    const step = bounded(signal, this.#options.uploadTimeoutMs ?? 600_000);
    const name = clip.destination ?? '(none)';
    try {
      const destination = this.#destinationOf(clip).destination;
      const path = this.#outputPath(clip);
      if (fileSize(path) === undefined) throw new SS_ERR_CLIP_OUTPUT_MISSING(clip.id, path, 'the file is gone');
      const file = { clipId: clip.id, creatorId: clip.creatorId, path, title: clip.title, durationSec: clip.durationSec ?? clip.seconds };
      const { url } = await step.race(destination.upload(file, step.signal));
      if (typeof url !== 'string' || url.length === 0 || url.length > 2048 || /\p{Cc}/u.test(url)) {
        throw new SS_ERR_CLIP_DESTINATION_FAILED(name, 'it returned no usable URL');
      }
      const now = this.#clock.now();
      const published = this.#db.write(() =>
        this.#store.transition(clip.id, 'uploading', 'published', now, `published to ${name}`, {
          url,
          publishedAt: now,
          error: null,
          errorCode: null,
          job: { ...unlocked, phase: 'done', nextRunAt: null, lastError: null, lastErrorCode: null },
        }),
      );
      if (published !== undefined) {
        // Retention first, so whoever waits for 'published' sees the folder already trimmed.
        this.#background(() => this.runRetention());
        this.#emit(published, 'uploading', 'published', 'published');
      }
      return published;
    } catch (error) {
      return this.#attemptFailed(clip, 'upload', step.describe(error, clip, 'upload'), signal);
    } finally {
      step.dispose();
    }
  }

  /** A failed attempt: back to queued/encoded with a backoff while attempts remain, else failed. */
  #attemptFailed(clip: ClipRecord, step: ClipStep, error: StreamSuitesError, signal: AbortSignal): ClipRecord | undefined {
    const from: ClipState = step === 'encode' ? 'encoding' : 'uploading';
    const back: ClipState = step === 'encode' ? 'queued' : 'encoded';
    const now = this.#clock.now();
    const { attempts, maxAttempts } = clip.job;
    let to: ClipState;
    let reason: string;
    let patch: ClipPatch;
    if (this.#stopping !== undefined && signal.aborted) {
      to = back;
      reason = `${step} attempt ${attempts}/${maxAttempts} stopped with the engine; resumes on the next start`;
      patch = { job: { ...unlocked, attempts: attempts - 1, nextRunAt: now } };
    } else {
      const permanent = SS_ERR_CLIP_DESTINATION_UNKNOWN.is(error) || (step === 'upload' && SS_ERR_CLIP_OUTPUT_MISSING.is(error));
      const retryable = !permanent && (this.#options.isRetryable?.(error, step, clip) ?? true);
      const what = `${step} attempt ${attempts}/${maxAttempts} failed (${error.code}): ${error.message}`;
      if (retryable && attempts < maxAttempts) {
        const delay = this.#backoff(attempts);
        to = back;
        reason = `${what}; retry in ${delay} ms`;
        patch = { job: { ...unlocked, nextRunAt: now + delay, lastError: error.message, lastErrorCode: error.code } };
      } else {
        to = 'failed';
        reason = `${what}; ${retryable ? 'no attempts left' : 'not retryable'}`;
        patch = {
          error: error.message,
          errorCode: error.code,
          job: { ...unlocked, phase: 'done', nextRunAt: null, lastError: error.message, lastErrorCode: error.code },
        };
      }
    }
    this.#options.logger?.warn({ clipId: clip.id, creatorId: clip.creatorId, step, to, err: error }, `clips: ${reason}`);
    const moved = this.#db.write(() => this.#store.transition(clip.id, from, to, now, reason, patch));
    if (moved === undefined) return undefined;
    if (to === 'failed') removeClipFiles(this.outputDir, clip.id);
    this.#emit(moved, from, to, reason);
    return moved;
  }

  #backoff(attempt: number): number {
    return backoffDelay({ initialMs: this.#options.backoff?.baseMs ?? 5000, maxMs: this.#options.backoff?.maxMs ?? 300_000, factor: 2 }, attempt);
  }

  // ---- helpers ------------------------------------------------------------

  #validate(request: CreateClipRequest) {
    const text = (field: string, value: unknown, max: number): string => {
      if (typeof value !== 'string' || value.trim() === '') throw new SS_ERR_CLIP_INVALID(field, 'must be a non-empty string');
      if (value.length > max) throw new SS_ERR_CLIP_INVALID(field, `must be at most ${max} characters`);
      return value;
    };
    const creatorId = text('creatorId', request.creatorId, 128);
    const platform = text('platform', request.platform, 32);
    const maxSeconds = this.#options.maxSeconds ?? 300;
    const seconds = request.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > maxSeconds) {
      throw new SS_ERR_CLIP_INVALID('seconds', `must be a number above 0 and at most ${maxSeconds}`, { details: { seconds } });
    }
    const mode = request.mode ?? 'copy';
    if (mode !== 'copy' && mode !== 'reencode') throw new SS_ERR_CLIP_INVALID('mode', 'must be "copy" or "reencode"');
    if (request.title !== undefined && typeof request.title !== 'string') throw new SS_ERR_CLIP_INVALID('title', 'must be a string');
    const title = sanitizeTitle(request.title ?? '', this.#options.titleMaxLength ?? DEFAULT_TITLE_MAX_LENGTH);
    const requestedBy = request.requestedBy === undefined ? null : sanitizeTitle(text('requestedBy', request.requestedBy, 1024), 128) || null;
    const requestKey = request.requestKey === undefined ? null : text('requestKey', request.requestKey, 256);
    if (request.destination !== undefined) text('destination', request.destination, 128);
    const destination = this.#destinationOf({ creatorId, platform, destination: request.destination ?? null }).name;
    return { creatorId, platform, seconds, mode: mode as CutMode, title, requestedBy, requestKey, destination };
  }

  /** The destination of a clip (by name, or through the resolver); SS_ERR_CLIP_DESTINATION_UNKNOWN when there is none. */
  #destinationOf(clip: { creatorId: string; platform: string; destination: string | null }): { name: string; destination: ClipDestination } {
    const destinations = this.#options.destinations;
    if (typeof destinations === 'function') {
      const destination = destinations(clip);
      if (destination === undefined) throw new SS_ERR_CLIP_DESTINATION_UNKNOWN(clip.destination ?? '(default)', `none for creator "${clip.creatorId}"`);
      return { name: clip.destination ?? destination.kind, destination };
    }
    const names = Object.keys(destinations);
    const name = clip.destination ?? this.#options.defaultDestination ?? (names.length === 1 ? names[0]! : undefined);
    if (name === undefined || !Object.hasOwn(destinations, name)) {
      throw new SS_ERR_CLIP_DESTINATION_UNKNOWN(name ?? '(default)', knownDestinations(destinations));
    }
    return { name, destination: destinations[name]! };
  }

  #outputPath(clip: ClipRecord): string {
    return clip.outputPath ?? join(this.outputDir, clipFileName(clip.id));
  }

  #retentionConfigured(): boolean {
    const r = this.#options.retention;
    return r !== undefined && (r.maxAgeDays !== undefined || r.maxTotalBytes !== undefined);
  }

  #emit(clip: ClipRecord, from: ClipState | null, to: ClipState, reason: string): void {
    try {
      this.#options.onState?.(clip, from, to, reason);
    } catch (error) {
      this.#options.logger?.error({ err: error, clipId: clip.id }, 'clips: onState listener threw');
    }
    if (TERMINAL.has(to)) {
      const waiters = this.#waiters.get(clip.id);
      this.#waiters.delete(clip.id);
      for (const resolve of waiters ?? []) resolve(clip);
    }
  }

  #background(fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      this.#reportError(error);
    }
  }

  #reportError(error: unknown, clip?: ClipRecord): void {
    const coded = isStreamSuitesError(error) ? error : new SS_ERR_CLIPS_DB(this.#db.file, describe(error), { cause: error });
    this.#options.logger?.error({ err: coded, clipId: clip?.id }, 'clips: background failure');
    try {
      this.#options.onError?.(coded, clip);
    } catch {
      // a throwing onError must not break the engine either
    }
  }
}

const unlocked = { lockedBy: null, lockedAt: null } as const;

function knownDestinations(destinations: Readonly<Record<string, ClipDestination>>): string {
  const names = Object.keys(destinations);
  return names.length === 0 ? 'none' : names.join(', ');
}

function positiveInt(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new SS_ERR_CLIP_INVALID(field, 'must be a positive integer', { details: { value } });
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One step's signal: aborted when the engine stops (`parent`) or after
 * `timeoutMs`. `race` settles as soon as the signal aborts, so an encoder or
 * destination that ignores its signal cannot hold a worker forever.
 */
function bounded(parent: AbortSignal, timeoutMs: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(controller.signal.reason);
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => {}); // only observed through race
  return {
    signal: controller.signal,
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, aborted]),
    describe(error: unknown, clip: ClipRecord, step: ClipStep): StreamSuitesError {
      if (timedOut) return new SS_ERR_CLIP_TIMEOUT(clip.id, step, timeoutMs, { cause: error });
      if (isStreamSuitesError(error)) return error;
      return step === 'encode'
        ? new SS_ERR_CLIP_ENCODE_FAILED(clip.id, describe(error), { cause: error })
        : new SS_ERR_CLIP_DESTINATION_FAILED(clip.destination ?? '(none)', describe(error), { cause: error });
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
