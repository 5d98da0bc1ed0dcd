import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  SS_ERR_JOB_CANCELLED,
  SS_ERR_JOB_HANDLER_DUPLICATE,
  SS_ERR_JOB_INTERRUPTED,
  SS_ERR_JOB_INVALID,
  SS_ERR_JOB_TIMEOUT,
  SS_ERR_STORE_CLOSED,
  JOB_STATES,
  FINISHED_JOB_STATES,
  checkJobCount,
  jobRowToRecord,
  normalizeJobHandler,
  queuedJobRow,
  settledJobRow,
  type AttemptOutcome,
  type JobRow,
  type NormalizedJobHandler,
} from '@streamsuites/defaults';
import {
  StreamSuitesError,
  attempt,
  systemClock,
  type Clock,
  type EnqueueOptions,
  type EventBus,
  type JobFilter,
  type JobHandler,
  type JobPayload,
  type JobRecord,
  type JobRegistry,
  type JobState,
  type JobStateEvent,
  type JobType,
  type Logger,
} from '@streamsuites/kernel';
import type { Redis } from 'ioredis';
import { SS_ERR_SCALE_JOBS_INVALID, SS_ERR_SCALE_REDIS_UNAVAILABLE } from '../errors.js';
import { RedisJobStore, type Expected, type StoredJob } from './store.js';

export interface RedisJobRegistryOptions {
  /** The client for commands (not closed by the registry); a duplicate of it subscribes to wake-ups. */
  redis: Redis;
  /** Key prefix (default `streamsuites:`): processes sharing one queue share it. Keys are `<prefix>{jobs}:…`. */
  prefix?: string;
  /** This process in the cluster, stored on the jobs it runs (default `<hostname>:<pid>:<random>`). */
  owner?: string;
  /** Timestamps and due times (the kernel clock; default the system clock). */
  clock?: Clock;
  /** Receives `job.state` for every change this process makes; the registry also stops on `kernel.stopping`. */
  bus?: EventBus;
  logger?: Logger;
  /** Masks secrets in failure messages before they are stored or emitted (SecretRegistry.redactString). */
  redact?: (text: string) => string;
  /**
   * How long a running job stays this process's without a renewal (default 30000). Renewed every
   * leaseMs / 3; a job whose process died is taken over by another within about leaseMs + leaseMs / 3.
   */
  leaseMs?: number;
  /**
   * What a handler's `concurrency` counts: `cluster` (default) — jobs of the type running in every
   * process sharing the prefix; `process` — in this process only (so capacity grows with processes).
   * `perCreatorConcurrency` is always cluster-wide.
   */
  concurrencyScope?: 'cluster' | 'process';
  /** How long stop() waits for aborted handlers to return (default 5000 ms). */
  shutdownGraceMs?: number;
}

interface Running {
  row: StoredJob;
  handler: NormalizedJobHandler;
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
  /** performance.now() just before the last successful renewal (or the claim) was sent: the lease ends leaseMs after it at the latest. */
  renewedAt: number;
  /** Resolves when the attempt's end is recorded (or given up). */
  settled: Promise<void>;
  markSettled: () => void;
}


/** Pause before pumping again after Redis failed. */
const REDIS_RETRY_MS = 1000;
/** Expired leases handled per round. */
const REAP_BATCH = 100;

/**
 * The JobRegistry contract on Redis, shared by every process using the same
 * prefix: any process's handler runs any process's jobs. The rules are those
 * of @streamsuites/defaults' JobQueue (handler options, backoff, timeouts,
 * redaction, `retryable: false`, stop gives the attempt back); what changes
 * is that a running job is held by a lease that its process renews, and any
 * process finding an expired lease (its holder died) queues the job again or
 * fails it with SS_ERR_JOB_INTERRUPTED on its last attempt.
 *
 * Scheduling: a pump claims due jobs (one Lua compare-and-set each) up to the
 * limits; it runs when a handler registers, on a wake-up published on Redis
 * pub/sub (a job enqueued, a slot freed, a retry queued anywhere), at the
 * next known runAt (one timer), and every leaseMs / 3 with the renewal round
 * (covers lost pub/sub messages). Timers are unref'd.
 */
export class RedisJobRegistry implements JobRegistry {
  /** This process's name on the jobs it runs. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly store: RedisJobStore;
  readonly #clock: Clock;
  readonly #bus: EventBus | undefined;
  readonly #logger: Logger | undefined;
  readonly #redact: (text: string) => string;
  readonly #graceMs: number;
  readonly #scope: 'cluster' | 'process';
  readonly #handlers = new Map<string, NormalizedJobHandler>();
  readonly #running = new Map<string, Running>();
  /** Jobs this process is enqueuing whose `queued` event is not out yet (a fast claim here must not emit `running` first). */
  readonly #enqueuing = new Map<string, JobRow>();
  readonly #subscriber: Redis;
  readonly #subscribed: Promise<void>;
  #state: 'open' | 'draining' | 'drained' | 'closed' = 'open';
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #ticking: Promise<void> | undefined;
  #wake: NodeJS.Timeout | undefined;
  #wakeAt: number | undefined;
  readonly #interval: NodeJS.Timeout;
  #stopping: Promise<void> | undefined;
  readonly #offStopping: (() => void) | undefined;

  constructor(options: RedisJobRegistryOptions) {
    if (typeof options?.redis?.duplicate !== 'function') throw new SS_ERR_SCALE_JOBS_INVALID('redis', 'must be an ioredis client');
    // Scripts build their keys from ARGV, which ioredis's keyPrefix does not reach: use `prefix` instead.
    if (options.redis.options?.keyPrefix) throw new SS_ERR_SCALE_JOBS_INVALID('redis', 'must not set the ioredis keyPrefix option (pass prefix to the registry instead)');
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    if (typeof this.owner !== 'string' || this.owner === '' || this.owner.length > 256) {
      throw new SS_ERR_SCALE_JOBS_INVALID('owner', 'must be a non-empty string of at most 256 characters');
    }
    this.leaseMs = options.leaseMs ?? 30_000;
    if (!Number.isSafeInteger(this.leaseMs) || this.leaseMs < 100) throw new SS_ERR_SCALE_JOBS_INVALID('leaseMs', `must be an integer ≥ 100, got ${String(options.leaseMs)}`);
    this.#scope = options.concurrencyScope ?? 'cluster';
    if (this.#scope !== 'cluster' && this.#scope !== 'process') throw new SS_ERR_SCALE_JOBS_INVALID('concurrencyScope', 'must be "cluster" or "process"');
    const prefix = options.prefix ?? 'streamsuites:';
    if (typeof prefix !== 'string' || prefix.length > 256 || /[{}]/u.test(prefix)) {
      throw new SS_ERR_SCALE_JOBS_INVALID('prefix', 'must be a string of at most 256 characters without "{" or "}" (the {jobs} hash tag follows it)');
    }
    this.store = new RedisJobStore(options.redis, prefix);
    this.#clock = options.clock ?? systemClock;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#redact = options.redact ?? ((text) => text);
    this.#graceMs = options.shutdownGraceMs ?? 5000;
    // A subscribed ioredis connection can only (un)subscribe: wake-ups get their own.
    this.#subscriber = options.redis.duplicate();
    this.#subscriber.on('message', (_channel: string, message: string) => this.#onMessage(message));
    this.#subscriber.on('error', (error: unknown) => this.#logger?.warn({ err: error }, 'redis jobs: the wake-up connection failed; polling every leaseMs / 3 meanwhile'));
    this.#subscribed = this.#subscriber.subscribe(this.store.channel).then(
      () => undefined,
      (error: unknown) => this.#logger?.warn({ err: error }, 'redis jobs: could not subscribe to wake-ups'),
    );
    this.#interval = setInterval(() => void this.#tick(), Math.floor(this.leaseMs / 3));
    this.#interval.unref();
    // Abort running jobs before plugins stop, so no handler outlives the services it uses.
    this.#offStopping = this.#bus?.on('kernel.stopping', () => void this.stop());
    // Jobs a dead process left running are taken over at once, not a round later.
    void this.#tick();
  }

  /** Resolves once wake-ups from other processes arrive (until then the periodic round finds their jobs). */
  ready(): Promise<void> {
    return this.#subscribed;
  }

  register<K extends JobType>(handler: JobHandler<JobPayload<K>> & { type: K }): () => void {
    this.#open();
    const normalized = normalizeJobHandler(handler as JobHandler);
    if (this.#handlers.has(normalized.type)) throw new SS_ERR_JOB_HANDLER_DUPLICATE(normalized.type);
    this.#handlers.set(normalized.type, normalized);
    this.#schedulePump();
    return () => {
      if (this.#handlers.get(normalized.type) === normalized) this.#handlers.delete(normalized.type);
    };
  }

  async enqueue<K extends JobType>(type: K, payload: JobPayload<K>, options: EnqueueOptions = {}): Promise<JobRecord<JobPayload<K>>> {
    this.#open();
    // A handler registered in another process is not known here: its maxAttempts applies only where it is registered.
    const row = queuedJobRow(type, payload, options, this.#clock.now(), this.#handlers.get(type)?.maxAttempts);
    this.#enqueuing.set(row.id, row);
    try {
      await this.#redis('job enqueue', () => this.store.insert(row));
    } catch (error) {
      this.#enqueuing.delete(row.id);
      throw error;
    }
    this.#emitEnqueued(row.id);
    this.#wakeAll(type);
    return jobRowToRecord<JobPayload<K>>(row);
  }

  async get<P = unknown>(id: string): Promise<JobRecord<P> | undefined> {
    this.#open();
    if (typeof id !== 'string' || id === '') return undefined;
    const row = await this.#redis('job get', () => this.store.get(id));
    return row === undefined ? undefined : jobRowToRecord<P>(row);
  }

  async list(filter: JobFilter = {}): Promise<JobRecord[]> {
    this.#open();
    const states = filter.state === undefined ? undefined : typeof filter.state === 'string' ? [filter.state] : filter.state;
    for (const state of states ?? []) {
      if (!JOB_STATES.includes(state)) throw new SS_ERR_JOB_INVALID(`state filter "${String(state)}"`, `must be one of ${JOB_STATES.join(', ')}`);
    }
    checkJobCount('limit', filter.limit, 0);
    const rows = await this.#redis('job list', () => this.store.list({
      ...(filter.type === undefined ? {} : { type: filter.type }),
      ...(filter.creatorId === undefined ? {} : { creatorId: filter.creatorId }),
      ...(states === undefined ? {} : { states }),
      ...(filter.limit === undefined ? {} : { limit: filter.limit }),
    }));
    return rows.map((row) => jobRowToRecord(row));
  }

  async cancel(id: string): Promise<boolean> {
    this.#open();
    if (typeof id !== 'string' || id === '') return false;
    return this.#redis('job cancel', () => this.#cancel(id));
  }

  async #cancel(id: string): Promise<boolean> {
    // Compare-and-set on what was read; a race with a claim or an end of attempt reads again.
    for (let tries = 0; tries < 5; tries++) {
      const row = await this.store.get(id);
      if (row === undefined || FINISHED_JOB_STATES.includes(row.state)) return false;
      const now = this.#clock.now();
      const next: StoredJob = { ...row, state: 'cancelled', updatedAt: now, finishedAt: now };
      if (!(await this.store.transition(next, expectedOf(row)))) continue;
      const running = this.#running.get(id);
      if (running !== undefined) {
        this.#release(running);
        running.markSettled();
        running.controller.abort(new SS_ERR_JOB_CANCELLED(id, row.type));
      } else if (row.state === 'running') {
        // Another process runs it: tell it to abort (its lease renewal would notice too, within leaseMs / 3).
        this.#publish(`c|${id}`);
      }
      this.#emit(next, row.state);
      if (row.state === 'running') this.#wakeAll(row.type);
      return true;
    }
    return false;
  }

  async prune(before: number): Promise<number> {
    this.#open();
    checkJobCount('prune() before', before, 0);
    return this.#redis('job prune', () => this.store.prune(before));
  }

  /** Runs a Redis call of a public method; a client or server failure becomes SS_ERR_SCALE_REDIS_UNAVAILABLE. */
  async #redis<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof StreamSuitesError) throw error;
      throw new SS_ERR_SCALE_REDIS_UNAVAILABLE(operation, error instanceof Error ? error.message : String(error), {
        cause: error,
        details: { operation },
        hint: 'Check that Redis is running and reachable at the URL the process was given (error.cause has the client error). An enqueue or cancel whose reply was lost may have been applied: read the job back (get or list) before retrying.',
      });
    }
  }

  /**
   * Stops claiming jobs, aborts running handlers (reason SS_ERR_JOB_INTERRUPTED)
   * and waits up to the grace period for them; each interrupted attempt is
   * queued again without counting it, for any process to run. Reads,
   * enqueues and cancels still work until close(). Idempotent; called on
   * `kernel.stopping`.
   */
  stop(): Promise<void> {
    return (this.#stopping ??= this.#doStop());
  }

  /** stop(), then every method rejects with SS_ERR_STORE_CLOSED. Does not close the `redis` client it was given. */
  async close(): Promise<void> {
    await this.stop();
    this.#state = 'closed';
  }

  async #doStop(): Promise<void> {
    this.#state = 'draining';
    this.#offStopping?.();
    this.#clearWake();
    clearInterval(this.#interval);
    await this.#pumping?.catch(() => undefined);
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
      await Promise.all([...this.#running.values()].map((run) => this.#settle(run, { kind: 'error', error: run.controller.signal.reason })));
    }
    await this.#ticking?.catch(() => undefined);
    this.#subscriber.disconnect();
    if (this.#state === 'draining') this.#state = 'drained';
  }

  // ── scheduling ────────────────────────────────────────────────────────────

  #schedulePump(): void {
    if (this.#state !== 'open') return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#pumpAgain) {
        this.#pumpAgain = false;
        this.#schedulePump();
      }
    });
  }

  async #pump(): Promise<void> {
    // Let the caller's synchronous work (register, a settle) finish first.
    await Promise.resolve();
    try {
      for (const handler of [...this.#handlers.values()]) await this.#fill(handler);
      const now = this.#clock.now();
      this.#armWake(now, await this.store.nextRunAt([...this.#handlers.keys()], now));
    } catch (error) {
      this.#logger?.error({ err: error }, 'redis jobs: Redis failed while scheduling; retrying shortly');
      const now = this.#clock.now();
      this.#armWake(now, now + REDIS_RETRY_MS);
    }
  }

  /** Claims due jobs of one type until its concurrency (here or cluster-wide) or per-creator limit is reached. */
  async #fill(handler: NormalizedJobHandler): Promise<void> {
    const limits = {
      type: this.#scope === 'cluster' ? handler.concurrency : 0,
      creator: Number.isFinite(handler.perCreatorConcurrency) ? handler.perCreatorConcurrency : 0,
    };
    while (this.#state === 'open' && this.#handlers.get(handler.type) === handler && this.#localCount(handler.type) < handler.concurrency) {
      // The lease runs from the script's time, which is after this: a safe start for the local countdown.
      const asked = performance.now();
      const row = await this.store.claim(handler.type, this.#clock.now(), limits, this.owner, this.leaseMs);
      if (row === undefined) return;
      if (this.#state !== 'open' || this.#handlers.get(handler.type) !== handler) {
        // Stopped or unregistered while claiming: hand it straight back, uncounted.
        const now = this.#clock.now();
        await this.store.transition({ ...row, state: 'queued', attempts: row.attempts - 1, runAt: now, updatedAt: now }, expectedOf(row));
        this.#wakeAll(row.type);
        return;
      }
      this.#start(row, handler, asked);
    }
  }

  #localCount(type: string): number {
    let n = 0;
    for (const run of this.#running.values()) if (run.row.type === type) n++;
    return n;
  }

  #start(row: StoredJob, handler: NormalizedJobHandler, leasedAt: number): void {
    let markSettled!: () => void;
    const settled = new Promise<void>((resolve) => (markSettled = resolve));
    const run: Running = { row, handler, controller: new AbortController(), timer: undefined, renewedAt: leasedAt, settled, markSettled };
    this.#running.set(row.id, run);
    this.#emitEnqueued(row.id);
    this.#emit(row, 'queued');
    run.timer = setTimeout(() => {
      const reason = new SS_ERR_JOB_TIMEOUT(row.id, row.type, handler.timeoutMs);
      run.controller.abort(reason);
      void this.#settle(run, { kind: 'error', error: reason });
    }, handler.timeoutMs);
    run.timer.unref();
    const record = jobRowToRecord(row);
    attempt(() => handler.run(record, { signal: run.controller.signal, attempt: row.attempts })).then(
      (value) => this.#settle(run, { kind: 'ok', value }),
      (error: unknown) => this.#settle(run, { kind: 'error', error }),
    );
  }

  /** Records how an attempt ended. Only the first settlement of an attempt counts, and only while the job is still this attempt's. */
  async #settle(run: Running, outcome: AttemptOutcome): Promise<void> {
    if (this.#running.get(run.row.id) !== run) return;
    this.#release(run);
    const row = run.row;
    const next = settledJobRow(row, outcome, run.handler, { now: this.#clock.now(), stopping: this.#state !== 'open', redact: this.#redact });
    try {
      if (await this.store.transition(next, expectedOf(row))) this.#emit(next, row.state);
    } catch (error) {
      // The job stays `running` in Redis; its lease expires and a process (maybe this one) takes it over.
      this.#logger?.error({ err: error, jobId: row.id }, 'redis jobs: could not record the end of an attempt');
    }
    run.markSettled();
    this.#wakeAll(row.type);
  }

  #release(run: Running): void {
    clearTimeout(run.timer);
    this.#running.delete(run.row.id);
  }

  /** Aborts an attempt this process no longer holds (cancelled elsewhere, or its lease lost): nothing is written. */
  #drop(run: Running, reason: Error): void {
    if (this.#running.get(run.row.id) !== run) return;
    this.#release(run);
    run.markSettled();
    run.controller.abort(reason);
    this.#logger?.warn({ jobId: run.row.id, type: run.row.type, code: (reason as StreamSuitesError).code }, 'redis jobs: a running job was taken from this process');
    this.#schedulePump();
  }

  /** One timer for the earliest future runAt (backoff or delayed jobs) of a registered type. */
  #armWake(now: number, at: number | undefined): void {
    if (this.#state !== 'open' || at === this.#wakeAt) return;
    this.#clearWake();
    if (at === undefined) return;
    this.#wakeAt = at;
    this.#wake = setTimeout(() => {
      this.#wake = undefined;
      this.#wakeAt = undefined;
      this.#schedulePump();
    }, Math.max(0, at - now));
    this.#wake.unref();
  }

  #clearWake(): void {
    clearTimeout(this.#wake);
    this.#wake = undefined;
    this.#wakeAt = undefined;
  }

  // ── leases and wake-ups ───────────────────────────────────────────────────

  /** The round every leaseMs / 3: renew this process's leases, take over expired ones, pump. */
  #tick(): Promise<void> {
    if (this.#ticking !== undefined || this.#state !== 'open') return this.#ticking ?? Promise.resolve();
    this.#ticking = (async () => {
      try {
        await this.#renew();
        await this.#reap();
      } catch (error) {
        this.#logger?.warn({ err: error }, 'redis jobs: the lease round failed');
      }
      this.#schedulePump();
    })().finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #renew(): Promise<void> {
    const runs = [...this.#running.values()];
    if (runs.length === 0) return;
    let answers: string[];
    const sentAt = performance.now();
    try {
      answers = await this.store.renew(
        runs.map((run) => ({ id: run.row.id, claim: run.row.claim ?? '' })),
        this.leaseMs,
      );
    } catch (error) {
      // Redis unreachable: past half the lease, stop the job here, well before (rounds run every third) another process may take it.
      const limit = performance.now() - this.leaseMs / 2;
      for (const run of runs) {
        if (run.renewedAt < limit) this.#drop(run, new SS_ERR_JOB_INTERRUPTED(run.row.id, run.row.type, 'its lease could not be renewed (Redis unreachable)'));
      }
      throw error;
    }
    runs.forEach((run, i) => {
      const answer = answers[i];
      if (answer === 'ok') run.renewedAt = sentAt;
      else if (answer === 'cancelled') this.#drop(run, new SS_ERR_JOB_CANCELLED(run.row.id, run.row.type));
      else this.#drop(run, new SS_ERR_JOB_INTERRUPTED(run.row.id, run.row.type, 'its lease expired and another process took it over'));
    });
  }

  /** Jobs whose process died (lease expired) go back to `queued`, or fail if that was their last attempt. */
  async #reap(): Promise<void> {
    for (const id of await this.store.expired(REAP_BATCH)) {
      const row = await this.store.get(id);
      if (row === undefined || row.state !== 'running') continue;
      const now = this.#clock.now();
      const last = row.attempts >= row.maxAttempts;
      const reason = new SS_ERR_JOB_INTERRUPTED(row.id, row.type, `its process (${row.owner ?? 'unknown'}) stopped renewing the lease during attempt ${row.attempts} of ${row.maxAttempts}`);
      const next: StoredJob = {
        ...row,
        state: last ? 'failed' : 'queued',
        runAt: last ? row.runAt : now,
        finishedAt: last ? now : null,
        updatedAt: now,
        error: reason.message,
        errorCode: reason.code,
      };
      if (await this.store.transition(next, expectedOf(row), true)) {
        this.#logger?.warn({ jobId: row.id, type: row.type, owner: row.owner, state: next.state }, 'redis jobs: took over a job whose process died');
        this.#emit(next, row.state);
        this.#wakeAll(row.type);
      }
    }
  }

  #onMessage(message: string): void {
    if (this.#state !== 'open') return;
    const kind = message.slice(0, 2);
    const value = message.slice(2);
    if (kind === 'w|') {
      if (this.#handlers.has(value)) this.#schedulePump();
    } else if (kind === 'c|') {
      const run = this.#running.get(value);
      if (run !== undefined) this.#drop(run, new SS_ERR_JOB_CANCELLED(run.row.id, run.row.type));
    }
  }

  /** Pumps here and tells the other processes that jobs of `type` may be claimable. */
  #wakeAll(type: string): void {
    this.#schedulePump();
    this.#publish(`w|${type}`);
  }

  #publish(message: string): void {
    this.store.publish(message).catch((error: unknown) => this.#logger?.warn({ err: error }, 'redis jobs: could not publish a wake-up'));
  }

  #emitEnqueued(id: string): void {
    const row = this.#enqueuing.get(id);
    if (row === undefined) return;
    this.#enqueuing.delete(id);
    this.#emit(row, undefined);
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
    if (this.#state === 'closed') throw new SS_ERR_STORE_CLOSED('The Redis job registry');
  }
}

function expectedOf(row: StoredJob): Expected {
  return { state: row.state, attempts: row.attempts, claim: row.claim };
}

/**
 * A JobRegistry on Redis shared by every process using the same `prefix`.
 * Call `stop()` on shutdown (also done on `kernel.stopping`) and `close()`
 * when disposing the service; the `redis` client stays the caller's.
 */
export function createRedisJobRegistry(options: RedisJobRegistryOptions): RedisJobRegistry {
  return new RedisJobRegistry(options);
}
