import type { BackoffPolicy } from '../backoff.js';
import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';
import type { JsonValue } from './state.js';

/**
 * `queued` → `running` → `succeeded` | `failed` | `cancelled`. A failed
 * attempt with attempts left goes back to `queued` (with a backoff delay).
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * Payload types by job type, for typed `enqueue` and `register`. Plugins add
 * theirs by augmentation; undeclared types take any JSON payload.
 *
 * ```ts
 * declare module '@streamsuites/kernel' {
 *   interface StreamSuitesJobs { 'clips.encode': { clipId: string; seconds: number } }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface StreamSuitesJobs {}

/** A job type: `<namespace>.<name>`, e.g. `clips.encode`. */
export type JobType = (keyof StreamSuitesJobs & string) | (string & {});
/** The payload type of a job type (`unknown` for types not declared in StreamSuitesJobs). */
export type JobPayload<K extends string> = K extends keyof StreamSuitesJobs ? StreamSuitesJobs[K] : unknown;

/** A job as stored. Plain JSON: it can be exported and logged as it is. */
export interface JobRecord<P = unknown> {
  /** Unique id (a UUID). */
  id: string;
  type: string;
  /** The creator the job works for; absent for process-wide jobs. */
  creatorId?: string;
  state: JobState;
  payload: P;
  /** Attempts started so far (an attempt interrupted by a crash counts; one interrupted by a clean stop does not). */
  attempts: number;
  maxAttempts: number;
  /** Kernel clock times, ms since the epoch. */
  createdAt: number;
  updatedAt: number;
  /** Earliest time the next attempt may start (later than `createdAt` while backing off). */
  runAt: number;
  /** Start of the latest attempt. */
  startedAt?: number;
  /** When the job reached a finished state. */
  finishedAt?: number;
  /** Message of the latest failure (secrets redacted, at most 1000 characters). */
  error?: string;
  /** `SS_ERR_*` code of the latest failure, when it had one (`SS_ERR_JOB_TIMEOUT`, `SS_ERR_JOB_INTERRUPTED`...). */
  errorCode?: string;
  /** What the handler returned, when it returned a JSON value. */
  result?: JsonValue;
}

/** What a handler gets besides the job. */
export interface JobRunContext {
  /**
   * Aborted when the attempt times out, the job is cancelled or the kernel
   * stops. Its `reason` says which. Handlers must stop work when it fires:
   * the queue does not wait for a handler that ignores it.
   */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface JobHandler<P = unknown> {
  /** The job type this handler runs (`<namespace>.<name>`). */
  type: string;
  /** Jobs of this type running at once, process-wide (default 1). */
  concurrency?: number;
  /** Jobs of this type running at once for one creator (default: no limit beyond `concurrency`). */
  perCreatorConcurrency?: number;
  /** Attempts before a job fails for good (default 3). Applied to jobs enqueued after registration. */
  maxAttempts?: number;
  /** Retry delays (`backoffDelay`; defaults 1 s, ×2, at most 5 min). Job retries are not randomised: `jitter` does not apply. */
  backoff?: Omit<BackoffPolicy, 'jitter'>;
  /** One attempt's time limit (default 300000, five minutes); then it fails with SS_ERR_JOB_TIMEOUT. */
  timeoutMs?: number;
  /**
   * Runs one attempt. Resolve to succeed (a returned JSON value is kept as
   * `result`); throw to fail the attempt — an error whose `retryable` is
   * `false` fails the job at once, whatever attempts are left. Must be
   * idempotent: after a crash an attempt may run again.
   */
  run(job: JobRecord<P>, ctx: JobRunContext): unknown;
}

export interface EnqueueOptions {
  /** The creator the job works for (per-creator concurrency, filtering, exports). */
  creatorId?: string;
  /** Overrides the handler's `maxAttempts`. */
  maxAttempts?: number;
  /** Do not start before this many ms from now (default 0). */
  delayMs?: number;
}

export interface JobFilter {
  type?: string;
  creatorId?: string;
  state?: JobState | readonly JobState[];
  /** At most this many jobs (the newest ones). */
  limit?: number;
}

/**
 * A typed, durable job queue. Jobs are JSON records in the state backend, so
 * with @streamsuites/store-sqlite they survive restarts: a job left `running`
 * by a crash is queued again on the next start (or failed with
 * SS_ERR_JOB_INTERRUPTED when that was its last attempt).
 *
 * Handlers are registered by type; a job waits in `queued` until a handler
 * for its type exists. Concurrency is per type (process-wide) and optionally
 * per creator. A handler that throws is retried with exponential backoff,
 * then the job fails with the error's message (secrets redacted). Every
 * state change is emitted on the bus as `job.state`.
 */
export interface JobRegistry {
  /** Registers the handler of a type; returns a function that unregisters it (running jobs finish). */
  register<K extends JobType>(handler: JobHandler<JobPayload<K>> & { type: K }): () => void;
  /**
   * Stores a new `queued` job and returns it; the payload must be JSON
   * (SS_ERR_NOT_JSON). Payloads are stored and readable as they are: put no
   * secrets in them (pass a creator id and resolve credentials in the handler).
   */
  enqueue<K extends JobType>(type: K, payload: JobPayload<K>, options?: EnqueueOptions): Promise<JobRecord<JobPayload<K>>>;
  get<P = unknown>(id: string): Promise<JobRecord<P> | undefined>;
  /** Matching jobs, newest first. */
  list(filter?: JobFilter): Promise<JobRecord[]>;
  /**
   * Cancels a queued or running job (a running handler's signal is aborted);
   * true when this call cancelled it, false when it was unknown or already finished.
   */
  cancel(id: string): Promise<boolean>;
  /** Deletes finished jobs whose `finishedAt` is before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

export const jobRegistryRef: ServiceRef<JobRegistry, 'root'> = createServiceRef<JobRegistry>({
  id: 'kernel.jobs',
  methods: ['register', 'enqueue', 'get', 'list', 'cancel', 'prune'],
  scope: 'root',
});

/** Payload of `job.state`: one job changed state. Carries no payload (it may hold user data); `get(jobId)` has it. */
export interface JobStateEvent {
  jobId: string;
  type: string;
  creatorId?: string;
  state: JobState;
  /** The state before; absent when the job was just enqueued. */
  previous?: JobState;
  attempts: number;
  maxAttempts: number;
  /** When a queued job may start next. */
  runAt: number;
  /** Latest failure, redacted (see JobRecord.error). */
  error?: string;
  errorCode?: string;
  at: number;
}

