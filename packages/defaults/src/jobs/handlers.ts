import { randomUUID } from 'node:crypto';
import { StreamSuitesError, backoffDelay, type EnqueueOptions, type JobHandler, type JobRecord, type JsonValue } from '@streamsuites/kernel';
import { decodeJson, encodeJson } from '../state/json.js';
import { SS_ERR_JOB_INVALID } from './errors.js';
import type { JobRow } from './storage.js';

/** A registered handler with its options checked and defaulted. */
export interface Handler {
  type: string;
  concurrency: number;
  perCreatorConcurrency: number;
  maxAttempts: number;
  initialMs: number;
  factor: number;
  maxMs: number;
  timeoutMs: number;
  run: JobHandler['run'];
}

const JOB_TYPE = /^[a-z][a-zA-Z0-9_-]*(?:\.[a-zA-Z0-9_-]+)+$/;
// The defaults the JobHandler and EnqueueOptions docs state.
export const DEFAULTS = { concurrency: 1, maxAttempts: 3, timeoutMs: 300_000, initialMs: 1000, factor: 2, maxMs: 300_000 };

/** A stored row as the JobRecord the contract returns (absent fields left out). */
export function toRecord<P = unknown>(row: JobRow): JobRecord<P> {
  const record: JobRecord<P> = {
    id: row.id,
    type: row.type,
    state: row.state,
    payload: decodeJson<P>(row.payload),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    runAt: row.runAt,
  };
  if (row.creatorId !== null) record.creatorId = row.creatorId;
  if (row.startedAt !== null) record.startedAt = row.startedAt;
  if (row.finishedAt !== null) record.finishedAt = row.finishedAt;
  if (row.error !== null) record.error = row.error;
  if (row.errorCode !== null) record.errorCode = row.errorCode;
  if (row.result !== null) record.result = decodeJson<JsonValue>(row.result);
  return record;
}

/** Delay before attempt `failedAttempt + 1`. */
export function backoff(handler: Handler, failedAttempt: number): number {
  return backoffDelay({ initialMs: handler.initialMs, factor: handler.factor, maxMs: handler.maxMs }, failedAttempt);
}

export function normalizeHandler(handler: JobHandler): Handler {
  if (typeof handler !== 'object' || handler === null || typeof handler.run !== 'function') {
    throw new SS_ERR_JOB_INVALID('job handler', 'must be an object with a type and a run(job, ctx) function');
  }
  checkType(handler.type);
  checkCount('concurrency', handler.concurrency, 1);
  checkCount('perCreatorConcurrency', handler.perCreatorConcurrency, 1);
  checkCount('maxAttempts', handler.maxAttempts, 1);
  checkCount('timeoutMs', handler.timeoutMs, 1);
  checkCount('backoff.initialMs', handler.backoff?.initialMs, 0);
  checkCount('backoff.maxMs', handler.backoff?.maxMs, 0);
  const factor = handler.backoff?.factor;
  if (factor !== undefined && !(typeof factor === 'number' && Number.isFinite(factor) && factor >= 1)) {
    throw new SS_ERR_JOB_INVALID(`backoff.factor of ${handler.type}`, 'must be a number ≥ 1');
  }
  return {
    type: handler.type,
    concurrency: handler.concurrency ?? DEFAULTS.concurrency,
    perCreatorConcurrency: handler.perCreatorConcurrency ?? Number.POSITIVE_INFINITY,
    maxAttempts: handler.maxAttempts ?? DEFAULTS.maxAttempts,
    initialMs: handler.backoff?.initialMs ?? DEFAULTS.initialMs,
    factor: factor ?? DEFAULTS.factor,
    maxMs: handler.backoff?.maxMs ?? DEFAULTS.maxMs,
    timeoutMs: handler.timeoutMs ?? DEFAULTS.timeoutMs,
    run: handler.run.bind(handler),
  };
}

export function checkType(type: unknown): asserts type is string {
  if (typeof type !== 'string' || type.length > 128 || !JOB_TYPE.test(type)) {
    throw new SS_ERR_JOB_INVALID(`job type ${JSON.stringify(type)}`, 'must look like "plugin.name" (a-z A-Z 0-9 _ -, at least two dot-separated segments)');
  }
}

export function checkCount(what: string, value: unknown, min: number): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min)) {
    throw new SS_ERR_JOB_INVALID(what, `must be an integer ≥ ${min}`);
  }
}

/**
 * The row of a job being enqueued: type, options and payload checked
 * (SS_ERR_JOB_INVALID, SS_ERR_NOT_JSON), `queued`, due after `delayMs`.
 * `handlerMaxAttempts` is the registered handler's, when this process has one.
 */
export function queuedJobRow(type: string, payload: unknown, options: EnqueueOptions, now: number, handlerMaxAttempts: number | undefined): JobRow {
  checkType(type);
  if (options.creatorId !== undefined && (typeof options.creatorId !== 'string' || options.creatorId === '')) {
    throw new SS_ERR_JOB_INVALID('creatorId', 'must be a non-empty string');
  }
  checkCount('maxAttempts', options.maxAttempts, 1);
  checkCount('delayMs', options.delayMs, 0);
  return {
    id: randomUUID(),
    type,
    creatorId: options.creatorId ?? null,
    state: 'queued',
    payload: encodeJson(payload, `The payload of a ${type} job`),
    attempts: 0,
    maxAttempts: options.maxAttempts ?? handlerMaxAttempts ?? DEFAULTS.maxAttempts,
    createdAt: now,
    updatedAt: now,
    runAt: now + (options.delayMs ?? 0),
    startedAt: null,
    finishedAt: null,
    error: null,
    errorCode: null,
    result: null,
  };
}

/** How one attempt of a job ended: its handler's value, or what it threw. */
export type AttemptOutcome = { kind: 'ok'; value: unknown } | { kind: 'error'; error: unknown };

const MAX_ERROR_LENGTH = 1000;

/** A failure as stored: the message redacted (secrets) and cut to 1000 characters, the code when it is ours. */
export function jobFailure(error: unknown, redact: (text: string) => string): Pick<JobRow, 'error' | 'errorCode'> {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'non-Error thrown';
  const code = error instanceof StreamSuitesError ? error.code : null;
  const redacted = redact(message);
  return { error: redacted.length > MAX_ERROR_LENGTH ? `${redacted.slice(0, MAX_ERROR_LENGTH - 1)}…` : redacted, errorCode: code };
}

/**
 * The row after an attempt settled, for every backend: succeeded with its
 * JSON result; given back (`queued`, the attempt not counted) when the queue
 * is stopping; otherwise queued again after the handler's backoff, or failed
 * when no attempt is left or the error says `retryable: false`.
 */
export function settledJobRow<R extends JobRow>(row: R, outcome: AttemptOutcome, handler: Handler, options: { now: number; stopping: boolean; redact: (text: string) => string }): R {
  const { now, stopping, redact } = options;
  if (outcome.kind === 'ok') {
    const done = { ...row, updatedAt: now, finishedAt: now, error: null, errorCode: null };
    try {
      const result = outcome.value === undefined ? null : encodeJson(outcome.value, `The result of job ${row.id} (${row.type})`);
      return { ...done, state: 'succeeded', result };
    } catch (error) {
      // A non-JSON result is a bug in the handler: retrying would repeat the work and the bug.
      return { ...done, ...jobFailure(error, redact), state: 'failed' };
    }
  }
  // Interrupted by stop(): give the attempt back, so it runs again (on the next start, or in any process).
  if (stopping) return { ...row, state: 'queued', attempts: row.attempts - 1, runAt: now, updatedAt: now };
  // An error marked `retryable: false` (a missing destination, bad input) ends the job now.
  const retry = row.attempts < row.maxAttempts && (outcome.error as { retryable?: unknown } | null)?.retryable !== false;
  return {
    ...row,
    ...jobFailure(outcome.error, redact),
    state: retry ? 'queued' : 'failed',
    runAt: retry ? now + backoff(handler, row.attempts) : row.runAt,
    finishedAt: retry ? null : now,
    updatedAt: now,
  };
}
