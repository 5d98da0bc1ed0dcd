import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isStreamSuitesError, systemClock, type Clock, type JobHandler, type JobRecord, type JobRunContext, type JsonValue } from '@streamsuites/kernel';
import { ClipStore, type ClipHistoryEntry, type ClipListFilter, type ClipRecord } from '../db/clip-store.js';
import type { ClipsDatabase } from '../db/database.js';
import type { ClipState } from '../types.js';
import { describeError, type ClipEngine } from './context.js';
import { SS_ERR_CLIP_DESTINATION_UNKNOWN, SS_ERR_CLIP_ID_EXHAUSTED, SS_ERR_CLIP_INVALID, SS_ERR_CLIP_NOT_FOUND, SS_ERR_CLIPS_DB } from './errors.js';
import { clipFileName, fileSize } from './files.js';
import { cryptoRandom, drawClipId, isClipId, type RandomSource } from './ids.js';
import { jobTypeOf, type ClipJobPayload, type ClipLimits } from './job-types.js';
import type { ClipJobsOptions, ClipRecoveryReport, ClipRetentionReport, ClipStep, CreateClipRequest } from './options.js';
import { enqueueMissing, liveJobs, recoverClips } from './recovery.js';
import { destinationOf, knownDestinations, validateRequest } from './request.js';
import { retentionConfigured, runRetention } from './retention.js';
import { claimClip, runClipStep } from './steps.js';
import { toPublicClip, type PublicClip } from './views.js';

const TERMINAL: ReadonlySet<ClipState> = new Set(['published', 'failed']);
const ID_TRIES = 16;

/** A step attempt running in this engine. */
interface Active {
  jobId: string;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The clip engine. Each clip is a row in `clips` with its job row in
 * `clip_jobs` (phase, attempts shown to users, last error), driven queued →
 * encoding → encoded → uploading → published (or failed with a reason);
 * every state change is one transaction that also appends to
 * `clip_state_history`. The steps run as `clips.encode` and `clips.upload`
 * jobs on the kernel's JobRegistry, which owns scheduling: concurrency (per
 * step, and per creator), retries with `backoffDelay`, timeouts, and, with
 * a durable registry, re-queuing jobs a crash interrupted.
 *
 * One engine per database file: `start()` treats every clip left in
 * encoding/uploading as interrupted by a crash (see `recoverClips`).
 */
export class ClipJobs {
  readonly outputDir: string;
  readonly workerId: string;
  readonly #db: ClipsDatabase;
  readonly #store: ClipStore;
  readonly #options: ClipJobsOptions;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #limits: ClipLimits;
  readonly #engine: ClipEngine;
  readonly #active = new Map<string, Active>();
  readonly #waiters = new Map<string, ((clip: ClipRecord) => void)[]>();
  readonly #enqueues = new Set<Promise<void>>();
  readonly #unregister: (() => void)[] = [];
  #starting: Promise<ClipRecoveryReport> | undefined;
  /** Set once start() has enqueued what the registry was missing: from then on create() enqueues itself. */
  #accepting = false;
  #stopping: Promise<void> | undefined;
  #retentionTimer: NodeJS.Timeout | undefined;
  readonly #posters = { made: 0, failed: 0 };

  constructor(options: ClipJobsOptions) {
    this.#options = options;
    this.#db = options.db;
    this.#store = new ClipStore(options.db);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandom;
    const backoff = options.backoff ?? {};
    this.#limits = {
      concurrency: positiveInt(options.concurrency, 2, 'concurrency'),
      perCreator: positiveInt(options.perCreatorConcurrency, 1, 'perCreatorConcurrency'),
      maxEncode: positiveInt(options.maxEncodeAttempts, 2, 'maxEncodeAttempts'),
      maxUpload: positiveInt(options.maxUploadAttempts, 3, 'maxUploadAttempts'),
      backoff: { initialMs: backoff.initialMs ?? backoff.baseMs ?? 5000, factor: backoff.factor ?? 2, maxMs: backoff.maxMs ?? 300_000 },
      encodeTimeoutMs: positiveInt(options.encodeTimeoutMs, 300_000, 'encodeTimeoutMs'),
      uploadTimeoutMs: positiveInt(options.uploadTimeoutMs, 600_000, 'uploadTimeoutMs'),
    };
    this.outputDir = resolve(options.outputDir ?? join(dirname(options.db.file), 'clips', 'output'));
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${Buffer.from(this.#random(4)).toString('hex')}`;
    const { defaultDestination, destinations } = options;
    if (defaultDestination !== undefined && typeof destinations !== 'function' && !Object.hasOwn(destinations, defaultDestination)) {
      throw new SS_ERR_CLIP_DESTINATION_UNKNOWN(defaultDestination, knownDestinations(destinations));
    }
    this.#engine = {
      db: this.#db,
      store: this.#store,
      options,
      registry: options.registry,
      clock: this.#clock,
      logger: options.logger,
      outputDir: this.outputDir,
      workerId: this.workerId,
      limits: this.#limits,
      emit: (clip, from, to, reason) => this.#emit(clip, from, to, reason),
      background: (fn) => this.#background(fn),
      reportError: (error, clip) => this.#reportError(error, clip),
      enqueue: (clip, step) => this.#enqueue(clip, step),
      stopping: () => this.#stopping !== undefined,
      outputPath: (clip) => clip.outputPath ?? join(this.outputDir, clipFileName(clip.id)),
      destinationOf: (clip) => destinationOf(options, clip),
      runRetention: () => this.runRetention(),
      posters: this.#posters,
    };
  }

  /**
   * Recovers what a previous process left (`recoverClips`), enqueues the step
   * of every waiting clip the registry holds no job for (`enqueueMissing`),
   * then registers the `clips.encode` / `clips.upload` handlers and starts
   * the retention timer. Idempotent (later calls resolve with the first report).
   */
  start(): Promise<ClipRecoveryReport> {
    if (this.#stopping !== undefined) return Promise.reject(new SS_ERR_CLIPS_DB(this.#db.file, 'the clip engine was stopped; create a new one'));
    return (this.#starting ??= this.#doStart());
  }

  async #doStart(): Promise<ClipRecoveryReport> {
    // Clip records first, before any handler can run a job a durable registry re-queued.
    const report = recoverClips(this.#engine);
    const live = await liveJobs(this.#engine);
    if (this.#stopping !== undefined) return report;
    // From here to the end nothing awaits: no clip is created between the scan and `#accepting`.
    report.enqueued = enqueueMissing(this.#engine, live);
    this.#accepting = true;
    for (const step of ['encode', 'upload'] as const) this.#unregister.push(this.#options.registry.register(this.#handler(step)));
    if (retentionConfigured(this.#options.retention)) {
      this.#retentionTimer = setInterval(() => this.#background(() => this.runRetention()), this.#options.retention.intervalMs ?? 3_600_000);
      this.#retentionTimer.unref();
    }
    return report;
  }

  /**
   * Records a clip request as `queued` (or returns the clip already created
   * with the same `requestKey`) and, once started, enqueues its encode job.
   * Throws SS_ERR_CLIP_INVALID, SS_ERR_CLIP_DESTINATION_UNKNOWN,
   * SS_ERR_CLIP_ID_EXHAUSTED or a database error.
   */
  create(request: CreateClipRequest): ClipRecord {
    const valid = validateRequest(request, this.#options);
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
          { id, ...valid, title: valid.title === '' ? `Clip ${id}` : valid.title, createdAt: now, maxAttempts: this.#limits.maxEncode },
          'requested',
        );
        return { clip, isNew: true };
      }
      throw new SS_ERR_CLIP_ID_EXHAUSTED(ID_TRIES);
    });
    if (created.isNew) {
      this.#emit(created.clip, null, 'queued', 'requested');
      if (this.#accepting && this.#stopping === undefined) this.#enqueue(created.clip, 'encode');
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

  /** Poster frames made, and failed (each logged as a warning; those clips have none), since this engine was built. */
  posterStats(): { made: number; failed: number } {
    return { ...this.#posters };
  }

  /**
   * Clips whose local files exist (encoded, uploading or published and not
   * expired), newest first, with the paths of their mp4 and poster: what the
   * exports' media folder mirrors.
   */
  withLocalFiles(limit = 1000): ClipRecord[] {
    return this.#store
      .list({ states: ['encoded', 'uploading', 'published'], limit })
      .filter((clip) => clip.expiredAt === null && clip.outputPath !== null);
  }

  /** Ids of the clips a step of which runs in this engine now. */
  running(): string[] {
    return [...this.#active.keys()];
  }

  /** See `runRetention` (retention.ts). Runs at start, after each publish and every `intervalMs`. */
  runRetention(): ClipRetentionReport {
    return runRetention(this.#engine);
  }

  /**
   * Unregisters the step handlers and aborts the steps running here: their
   * clips go back to queued/encoded without using up an attempt, and their
   * jobs are cancelled, so the next start enqueues them again. Jobs still
   * queued stay in the registry (a durable one runs them after the next
   * start). Idempotent. Does not close the database or the registry.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  async #doStop(): Promise<void> {
    clearInterval(this.#retentionTimer);
    for (const off of this.#unregister.splice(0)) off();
    const active = [...this.#active.values()];
    for (const run of active) run.controller.abort(new SS_ERR_CLIPS_DB(this.#db.file, 'the clip engine stopped'));
    await Promise.all(
      active.map(async (run) => {
        try {
          await this.#options.registry.cancel(run.jobId);
        } catch (error) {
          this.#options.logger?.debug({ err: error, jobId: run.jobId }, 'clips: could not cancel a stopped step job');
        }
      }),
    );
    await Promise.all([...active.map((run) => run.done), ...this.#enqueues]);
    await this.#starting?.catch(() => undefined);
  }

  // ---- jobs ---------------------------------------------------------------

  #handler(step: ClipStep): JobHandler<ClipJobPayload> & { type: ReturnType<typeof jobTypeOf> } {
    const limits = this.#limits;
    return {
      type: jobTypeOf(step),
      concurrency: limits.concurrency,
      perCreatorConcurrency: limits.perCreator,
      maxAttempts: step === 'encode' ? limits.maxEncode : limits.maxUpload,
      backoff: limits.backoff,
      timeoutMs: step === 'encode' ? limits.encodeTimeoutMs : limits.uploadTimeoutMs,
      run: (job, ctx) => this.#runJob(step, job, ctx),
    };
  }

  async #runJob(step: ClipStep, job: JobRecord<ClipJobPayload>, ctx: JobRunContext): Promise<JsonValue> {
    const clipId = job.payload?.clipId;
    if (typeof clipId !== 'string' || this.#stopping !== undefined) return { clipId: clipId ?? null, skipped: 'not runnable here' };
    const clip = claimClip(this.#engine, clipId, step);
    // Nothing to do: the clip moved on (published, failed by recovery) or another job holds it.
    if (clip === undefined) return { clipId, skipped: this.#store.get(clipId)?.state ?? 'gone' };
    const controller = new AbortController();
    const onAbort = () => controller.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    let done!: () => void;
    this.#active.set(clipId, { jobId: job.id, controller, done: new Promise<void>((resolve) => (done = resolve)) });
    try {
      return await runClipStep(this.#engine, step, clip, { signal: controller.signal, attempt: ctx.attempt, maxAttempts: job.maxAttempts });
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      this.#active.delete(clipId);
      done();
    }
  }

  /** Enqueues a clip's step with the attempts it has left; tracked so stop() waits for it. */
  #enqueue(clip: ClipRecord, step: ClipStep): void {
    const maxAttempts = Math.max(1, clip.job.maxAttempts - clip.job.attempts);
    const pending = (async () => {
      try {
        await this.#options.registry.enqueue(jobTypeOf(step), { clipId: clip.id }, { creatorId: clip.creatorId, maxAttempts });
      } catch (error) {
        // The clip stays queued/encoded: the next start enqueues it again.
        this.#reportError(error, clip);
      }
    })();
    this.#enqueues.add(pending);
    void pending.finally(() => this.#enqueues.delete(pending));
  }

  // ---- helpers ------------------------------------------------------------

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
    const coded = isStreamSuitesError(error) ? error : new SS_ERR_CLIPS_DB(this.#db.file, describeError(error), { cause: error });
    this.#options.logger?.error({ err: coded, clipId: clip?.id }, 'clips: background failure');
    try {
      this.#options.onError?.(coded, clip);
    } catch {
      // a throwing onError must not break the engine either
    }
  }
}

function positiveInt(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new SS_ERR_CLIP_INVALID(field, 'must be a positive integer', { details: { value } });
  return value;
}
