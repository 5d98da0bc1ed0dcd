import type { JobState } from '@streamsuites/kernel';

/** A job as a backend stores it: flat columns, payload and result as JSON text. */
export interface JobRow {
  id: string;
  type: string;
  creatorId: string | null;
  state: JobState;
  payload: string;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  updatedAt: number;
  runAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  errorCode: string | null;
  result: string | null;
}

export interface JobRowFilter {
  type?: string;
  creatorId?: string;
  states?: readonly JobState[];
  limit?: number;
}

/**
 * What a job backend implements (memory, SQLite). Synchronous and atomic per
 * call, so the queue's claim is a compare-and-set with no lock; the queue
 * logic (scheduling, retries, timeouts, recovery, events) lives once, in
 * JobQueue. Rows keep their insertion order.
 */
export interface JobStorage {
  insert(row: JobRow): void;
  get(id: string): JobRow | undefined;
  /** Matching rows, newest (last inserted) first. */
  list(filter: JobRowFilter): JobRow[];
  /** Writes `row` only if the stored row still has the expected state and attempts; false otherwise. */
  replace(row: JobRow, expected: { state: JobState; attempts: number }): boolean;
  /** The first queued job of `type` due at `now` (by runAt, then insertion), skipping jobs of `excludeCreators`. */
  nextDue(type: string, now: number, excludeCreators: readonly string[]): JobRow | undefined;
  /** The earliest runAt later than `now` among queued jobs of these types. */
  nextRunAt(types: readonly string[], now: number): number | undefined;
  /** Deletes finished jobs with finishedAt < before; returns how many. */
  prune(before: number): number;
}

export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];
export const JOB_STATES: readonly JobState[] = ['queued', 'running', ...FINISHED_STATES];
