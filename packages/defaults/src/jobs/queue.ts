import { attempt, type Clock, type EnqueueOptions, type EventBus, type JobFilter, type JobHandler, type JobPayload, type JobRecord, type JobRegistry, type JobState, type JobType, type Logger } from '@streamsuites/kernel';
import { SS_ERR_STORE_CLOSED } from '../state/errors.js';
import {
  SS_ERR_JOB_CANCELLED,
  SS_ERR_JOB_HANDLER_DUPLICATE,
  SS_ERR_JOB_INTERRUPTED,
  SS_ERR_JOB_INVALID,
  SS_ERR_JOB_TIMEOUT,
} from './errors.js';
import type { JobStateEvent } from '@streamsuites/kernel';
import { checkCount, normalizeHandler, queuedJobRow, settledJobRow, toRecord, type AttemptOutcome, type Handler } from './handlers.js';
import { FINISHED_STATES, JOB_STATES, type JobRow, type JobStorage } from './storage.js';

export interface JobQueueOptions {
  storage: JobStorage;
  /** Timestamps and due times (the kernel clock). */
  clock: Clock;
  /** Receives `job.state` on every change; the queue also drains on `kernel.stopping`. */
  bus?: EventBus;
  logger?: Logger;
  /** Masks secrets in failure messages before they are stored or emitted (SecretRegistry.redactString). */
  redact?: (text: string) => string;
  /** How long stop() waits for aborted handlers to return (default 5000 ms). */
  shutdownGraceMs?: number;
  /** For error messages: "The job registry is closed". */
  name?: string;
}

interface Running {
  row: JobRow;
  handler: Handler;
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  /** Resolves when the attempt is settled (finished, failed, timed out, cancelled or interrupted). */
  settled: Promise<void>;
  markSettled: () => void;
}


/** Pause before pumping again after the backend failed (e.g. SQLITE_BUSY). */
const STORAGE_RETRY_MS = 1000;

/**
 * The JobRegistry logic, written once over a {@link JobStorage}: the kernel's
 * in-memory default and @streamsuites/store-sqlite differ only in storage.
 *
 * Construction recovers jobs a crash left `running`. Scheduling is one
 * `pump` (coalesced in a microtask) that claims due jobs up to each type's
 * concurrency, plus one timer for the next backoff or delayed job. Every
 * write is a compare-and-set on (state, attempts), so an attempt that
 * settles late (after a timeout or a cancel) can never overwrite a newer
 * state. Timers are unref'd: a backing-off job does not keep a process alive.
 */
export class JobQueue implements JobRegistry {
  readonly #storage: JobStorage;
  readonly #clock: Clock;
  readonly #bus: EventBus | undefined;
  readonly #logger: Logger | undefined;
  readonly #redact: (text: string) => string;
  readonly #graceMs: number;
  readonly #name: string;
  readonly #handlers = new Map<string, Handler>();
  readonly #running = new Map<string, Running>();
  #state: 'open' | 'draining' | 'drained' | 'closed' = 'open';
  #pumpQueued = false;
  #wake: NodeJS.Timeout | undefined;
  #wakeAt: number | undefined;
  #stopping: Promise<void> | undefined;
  readonly #offStopping: (() => void) | undefined;

  constructor(options: JobQueueOptions) {
    this.#storage = options.storage;
    this.#clock = options.clock;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#redact = options.redact ?? ((text) => text);
    this.#graceMs = options.shutdownGraceMs ?? 5000;
    this.#name = options.name ?? 'The job registry';
    // Abort running jobs before plugins stop, so no handler outlives the services it uses.
    this.#offStopping = this.#bus?.on('kernel.stopping', () => void this.stop());
    this.#recover();
  }

  register<K extends JobType>(handler: JobHandler<JobPayload<K>> & { type: K }): () => void {
    this.#open();
    const normalized = normalizeHandler(handler as JobHandler);
    if (this.#handlers.has(normalized.type)) throw new SS_ERR_JOB_HANDLER_DUPLICATE(normalized.type);
    this.#handlers.set(normalized.type, normalized);
    this.#schedulePump();
    return () => {
      if (this.#handlers.get(normalized.type) === normalized) this.#handlers.delete(normalized.type);
    };
  }

  async enqueue<K extends JobType>(type: K, payload: JobPayload<K>, options: EnqueueOptions = {}): Promise<JobRecord<JobPayload<K>>> {
    this.#open();
    const row = queuedJobRow(type, payload, options, this.#clock.now(), this.#handlers.get(type)?.maxAttempts);
    this.#storage.insert(row);
    this.#emit(row, undefined);
    this.#schedulePump();
    return toRecord<JobPayload<K>>(row);
  }

  async get<P = unknown>(id: string): Promise<JobRecord<P> | undefined> {
    this.#open();
    const row = this.#storage.get(id);
    return row === undefined ? undefined : toRecord<P>(row);
  }

  async list(filter: JobFilter = {}): Promise<JobRecord[]> {
    this.#open();
    const states = filter.state === undefined ? undefined : typeof filter.state === 'string' ? [filter.state] : filter.state;
    for (const state of states ?? []) {
      if (!JOB_STATES.includes(state)) throw new SS_ERR_JOB_INVALID(`state filter "${String(state)}"`, `must be one of ${JOB_STATES.join(', ')}`);
    }
    checkCount('limit', filter.limit, 0);
    const rows = this.#storage.list({
      ...(filter.type === undefined ? {} : { type: filter.type }),
      ...(filter.creatorId === undefined ? {} : { creatorId: filter.creatorId }),
      ...(states === undefined ? {} : { states }),
      ...(filter.limit === undefined ? {} : { limit: filter.limit }),
    });
    return rows.map((row) => toRecord(row));
  }

  async cancel(id: string): Promise<boolean> {
    this.#open();
    const row = this.#storage.get(id);
    if (row === undefined || FINISHED_STATES.includes(row.state)) return false;
    const now = this.#clock.now();
    const next: JobRow = { ...row, state: 'cancelled', updatedAt: now, finishedAt: now };
    if (!this.#storage.replace(next, row)) return false;
    const running = this.#running.get(id);
    if (running !== undefined) {
      this.#release(running);
      running.controller.abort(new SS_ERR_JOB_CANCELLED(id, row.type));
    }
    this.#emit(next, row.state);
    this.#schedulePump();
    return true;
  }

  async prune(before: number): Promise<number> {
    this.#open();
    checkCount('prune() before', before, 0);
    return this.#storage.prune(before);
  }

  /**
   * Stops claiming jobs, aborts running handlers (reason SS_ERR_JOB_INTERRUPTED)
   * and waits up to the grace period for them. An interrupted attempt is
   * queued again without counting it. Reads, enqueues (kept for the next
   * start) and cancels still work until close(). Idempotent; called on
   * `kernel.stopping`.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  /** stop(), then every method rejects with SS_ERR_STORE_CLOSED. Called when the service is disposed. */
  async close(): Promise<void> {
    await this.stop();
    this.#state = 'closed';
  }

  async #doStop(): Promise<void> {
    this.#state = 'draining';
    this.#offStopping?.();
    this.#clearWake();
    const running = [...this.#running.values()];
    for (const run of running) run.controller.abort(new SS_ERR_JOB_INTERRUPTED(run.row.id, run.row.type, 'the kernel is stopping'));
    if (running.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#graceMs);
        timer.unref();
      });
      await Promise.race([Promise.all(running.map((r) => r.settled)), grace]);
      clearTimeout(timer);
      // Handlers that ignored their signal: their attempt is given back all the same.
      for (const run of [...this.#running.values()]) this.#settle(run, { kind: 'error', error: run.controller.signal.reason });
    }
    if (this.#state === 'draining') this.#state = 'drained';
  }

  // ── scheduling ────────────────────────────────────────────────────────────

  #schedulePump(): void {
    if (this.#pumpQueued || this.#state !== 'open') return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#state !== 'open') return;
    const now = this.#clock.now();
    try {
      for (const handler of this.#handlers.values()) this.#fill(handler, now);
      this.#armWake(now);
    } catch (error) {
      this.#logger?.error({ err: error }, 'job queue: the backend failed; retrying shortly');
      this.#armWake(now, now + STORAGE_RETRY_MS);
    }
  }

  /** Claims due jobs of one type until its concurrency (and per-creator limit) is reached. */
  #fill(handler: Handler, now: number): void {
    const perCreator = new Map<string, number>();
    let total = 0;
    for (const run of this.#running.values()) {
      if (run.row.type !== handler.type) continue;
      total++;
      if (run.row.creatorId !== null) perCreator.set(run.row.creatorId, (perCreator.get(run.row.creatorId) ?? 0) + 1);
    }
    while (total < handler.concurrency) {
      const full = [...perCreator].filter(([, n]) => n >= handler.perCreatorConcurrency).map(([id]) => id);
      const row = this.#storage.nextDue(handler.type, now, full);
      if (row === undefined || !this.#start(row, handler, now)) return;
      total++;
      if (row.creatorId !== null) perCreator.set(row.creatorId, (perCreator.get(row.creatorId) ?? 0) + 1);
    }
  }

  #start(row: JobRow, handler: Handler, now: number): boolean {
    const next: JobRow = { ...row, state: 'running', attempts: row.attempts + 1, startedAt: now, updatedAt: now };
    // Another process (or a cancel) took it first: leave it.
    if (!this.#storage.replace(next, row)) return false;
    let markSettled!: () => void;
    const settled = new Promise<void>((resolve) => (markSettled = resolve));
    const run: Running = { row: next, handler, controller: new AbortController(), timer: undefined, settled, markSettled };
    this.#running.set(row.id, run);
    this.#emit(next, row.state);
    run.timer = setTimeout(() => {
      const reason = new SS_ERR_JOB_TIMEOUT(row.id, row.type, handler.timeoutMs);
      run.controller.abort(reason);
      this.#settle(run, { kind: 'error', error: reason });
    }, handler.timeoutMs);
    run.timer.unref();
    const record = toRecord(next);
    attempt(() => handler.run(record, { signal: run.controller.signal, attempt: next.attempts })).then(
      (value) => this.#settle(run, { kind: 'ok', value }),
      (error: unknown) => this.#settle(run, { kind: 'error', error }),
    );
    return true;
  }

  /** Records how an attempt ended. Only the first settlement of an attempt counts. */
  #settle(run: Running, outcome: AttemptOutcome): void {
    if (this.#running.get(run.row.id) !== run) return;
    this.#release(run);
    const row = run.row;
    const next = settledJobRow(row, outcome, run.handler, { now: this.#clock.now(), stopping: this.#state !== 'open', redact: this.#redact });
    try {
      if (this.#storage.replace(next, row)) this.#emit(next, row.state);
    } catch (error) {
      // The job stays `running` in the backend; crash recovery picks it up on the next start.
      this.#logger?.error({ err: error, jobId: row.id }, 'job queue: could not record the end of an attempt');
    }
    this.#schedulePump();
  }

  #release(run: Running): void {
    clearTimeout(run.timer);
    this.#running.delete(run.row.id);
    run.markSettled();
  }

  /** One timer for the earliest future runAt (backoff or delayed jobs) of a registered type. */
  #armWake(now: number, at = this.#storage.nextRunAt([...this.#handlers.keys()], now)): void {
    if (at === this.#wakeAt) return;
    this.#clearWake();
    if (at === undefined) return;
    this.#wakeAt = at;
    this.#wake = setTimeout(() => {
      this.#wake = undefined;
      this.#wakeAt = undefined;
      this.#pump();
    }, Math.max(0, at - now));
    this.#wake.unref();
  }

  #clearWake(): void {
    clearTimeout(this.#wake);
    this.#wake = undefined;
    this.#wakeAt = undefined;
  }

  /** Jobs a crash left `running` go back to `queued`, or fail if that was their last attempt. */
  #recover(): void {
    for (const row of this.#storage.list({ states: ['running'] })) {
      const now = this.#clock.now();
      const last = row.attempts >= row.maxAttempts;
      const reason = new SS_ERR_JOB_INTERRUPTED(row.id, row.type, `the process ended during attempt ${row.attempts} of ${row.maxAttempts}`);
      const next: JobRow = {
        ...row,
        state: last ? 'failed' : 'queued',
        runAt: last ? row.runAt : now,
        finishedAt: last ? now : null,
        updatedAt: now,
        error: reason.message,
        errorCode: reason.code,
      };
      if (this.#storage.replace(next, row)) {
        this.#logger?.warn({ jobId: row.id, type: row.type, state: next.state }, 'job recovered after a crash');
        this.#emit(next, row.state);
      }
    }
  }

  #emit(row: JobRow, previous: JobState | undefined): void {
    if (this.#bus === undefined) return;
    const event: JobStateEvent = {
      jobId: row.id,
      type: row.type,
      ...(row.creatorId === null ? {} : { creatorId: row.creatorId }),
      state: row.state,
      ...(previous === undefined ? {} : { previous }),
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      runAt: row.runAt,
      ...(row.error === null ? {} : { error: row.error }),
      ...(row.errorCode === null ? {} : { errorCode: row.errorCode }),
      at: row.updatedAt,
    };
    this.#bus.emit('job.state', event);
  }

  #open(): void {
    if (this.#state === 'closed') throw new SS_ERR_STORE_CLOSED(this.#name);
  }
}

export { toRecord } from './handlers.js';
