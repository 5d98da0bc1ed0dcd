import type { ClipState, CutMode } from '../types.js';
import type { ClipsDatabase } from './database.js';

export type ClipJobPhase = 'encode' | 'upload' | 'done';

/** The work left on a clip (`clip_jobs`). */
export interface ClipJobRecord {
  phase: ClipJobPhase;
  /** Attempts started in the current phase. */
  attempts: number;
  maxAttempts: number;
  /** When the next attempt may start (epoch ms; the job registry schedules it); null while running and once done. */
  nextRunAt: number | null;
  /** The engine running the current attempt (`host:pid:random`), null when idle. Informational: the job registry schedules. */
  lockedBy: string | null;
  lockedAt: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  updatedAt: number;
}

/** A clip row with its job: the admin (dashboard-only) view. */
export interface ClipRecord {
  id: string;
  creatorId: string;
  platform: string;
  /** Sanitized display text; never used in a path or a command. */
  title: string;
  /** The viewer who asked (a user identifier: admin only). */
  requestedBy: string | null;
  /** The caller's idempotency key (`create` with the same key returns this clip). */
  requestKey: string | null;
  seconds: number;
  mode: CutMode;
  state: ClipState;
  /** `<outputDir>/<id>.mp4` once encoded (the file is gone when failed or expiredAt is set). */
  outputPath: string | null;
  /** `<outputDir>/<id>.jpg`, the JPEG poster frame, once encoded; null when its making failed (the clip is fine without). Gone with the mp4. */
  posterPath: string | null;
  url: string | null;
  durationSec: number | null;
  /** Why it failed (or the last attempt's error while retrying). */
  error: string | null;
  errorCode: string | null;
  destination: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  /** When retention deleted the local file (the row is kept). */
  expiredAt: number | null;
  job: ClipJobRecord;
}

/** One row of `clip_state_history`. */
export interface ClipHistoryEntry {
  clipId: string;
  from: ClipState | null;
  to: ClipState;
  at: number;
  reason: string | null;
}

export interface ClipListFilter {
  creatorId?: string;
  states?: readonly ClipState[];
  /** Newest first; default 100, at most 1000. */
  limit?: number;
  /** Only clips created before this time (epoch ms), for paging. */
  before?: number;
}

/** Fields a transition may change besides the state. */
export type ClipPatch = Partial<
  Pick<ClipRecord, 'outputPath' | 'posterPath' | 'url' | 'durationSec' | 'error' | 'errorCode' | 'publishedAt' | 'expiredAt'>
> & { job?: Partial<ClipJobRecord> };

export interface NewClip {
  id: string;
  creatorId: string;
  platform: string;
  title: string;
  requestedBy: string | null;
  requestKey: string | null;
  seconds: number;
  mode: CutMode;
  destination: string | null;
  createdAt: number;
  maxAttempts: number;
}

interface Row {
  id: string;
  creator_id: string;
  platform: string;
  title: string;
  requested_by: string | null;
  request_key: string | null;
  seconds: number;
  mode: CutMode;
  state: ClipState;
  output_path: string | null;
  poster_path: string | null;
  url: string | null;
  duration_sec: number | null;
  error: string | null;
  error_code: string | null;
  destination: string | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  expired_at: number | null;
  phase: ClipJobPhase;
  attempts: number;
  max_attempts: number;
  next_run_at: number | null;
  locked_by: string | null;
  locked_at: number | null;
  last_error: string | null;
  last_error_code: string | null;
  job_updated_at: number;
}

const SELECT = `SELECT c.*, j.phase, j.attempts, j.max_attempts, j.next_run_at, j.locked_by, j.locked_at,
  j.last_error, j.last_error_code, j.updated_at AS job_updated_at
  FROM clips c JOIN clip_jobs j ON j.clip_id = c.id`;

/**
 * The SQL of the clip tables. Every state change goes through `transition`,
 * which writes the clip row, its job row and one history row in the same
 * transaction (the caller's `db.write`), and only if the clip is still in the
 * state the caller expected (a compare-and-set, so two paths can never both
 * move a clip).
 */
export class ClipStore {
  readonly db: ClipsDatabase;
  readonly #insertClip;
  readonly #insertJob;
  readonly #insertHistory;
  readonly #get;
  readonly #byKey;
  readonly #exists;
  readonly #list;
  readonly #history;
  readonly #updateClip;
  readonly #updateJob;
  readonly #inStates;
  readonly #published;
  readonly #expire;

  constructor(db: ClipsDatabase) {
    this.db = db;
    this.#insertClip = db.prepare(`INSERT INTO clips (id, creator_id, platform, title, requested_by, request_key, seconds, mode,
      state, destination, created_at, updated_at)
      VALUES (@id, @creatorId, @platform, @title, @requestedBy, @requestKey, @seconds, @mode, 'queued', @destination, @createdAt, @createdAt)`);
    this.#insertJob = db.prepare(`INSERT INTO clip_jobs (clip_id, phase, attempts, max_attempts, next_run_at, updated_at)
      VALUES (@id, 'encode', 0, @maxAttempts, @createdAt, @createdAt)`);
    this.#insertHistory = db.prepare(`INSERT INTO clip_state_history (clip_id, from_state, to_state, at, reason) VALUES (?, ?, ?, ?, ?)`);
    this.#get = db.prepare(`${SELECT} WHERE c.id = ?`);
    this.#byKey = db.prepare(`${SELECT} WHERE c.request_key = ?`);
    this.#exists = db.prepare(`SELECT 1 FROM clips WHERE id = ?`).pluck();
    this.#list = db.prepare(`${SELECT}
      WHERE (@creatorId IS NULL OR c.creator_id = @creatorId)
        AND (@states IS NULL OR c.state IN (SELECT value FROM json_each(@states)))
        AND (@before IS NULL OR c.created_at < @before)
      ORDER BY c.created_at DESC, c.rowid DESC LIMIT @limit`);
    this.#history = db.prepare(`SELECT clip_id AS clipId, from_state AS "from", to_state AS "to", at, reason
      FROM clip_state_history WHERE clip_id = ? ORDER BY seq`);
    this.#updateClip = db.prepare(`UPDATE clips SET state = @state, output_path = @output_path, poster_path = @poster_path, url = @url, duration_sec = @duration_sec,
      error = @error, error_code = @error_code, updated_at = @updated_at, published_at = @published_at, expired_at = @expired_at
      WHERE id = @id AND state = @expected`);
    this.#updateJob = db.prepare(`UPDATE clip_jobs SET phase = @phase, attempts = @attempts, max_attempts = @maxAttempts,
      next_run_at = @nextRunAt, locked_by = @lockedBy, locked_at = @lockedAt, last_error = @lastError,
      last_error_code = @lastErrorCode, updated_at = @updatedAt WHERE clip_id = @id`);
    this.#inStates = db.prepare(`${SELECT} WHERE c.state IN (SELECT value FROM json_each(?)) ORDER BY c.created_at, c.rowid`);
    this.#published = db.prepare(`${SELECT} WHERE c.state = 'published' AND c.expired_at IS NULL ORDER BY c.created_at, c.rowid`);
    this.#expire = db.prepare(`UPDATE clips SET expired_at = ?, updated_at = ? WHERE id = ? AND expired_at IS NULL`);
  }

  /** Inserts a queued clip, its job and the first history row (call inside `db.write`). */
  insert(clip: NewClip, reason: string): ClipRecord {
    this.#insertClip.run(clip);
    this.#insertJob.run(clip);
    this.#insertHistory.run(clip.id, null, 'queued', clip.createdAt, reason);
    return this.get(clip.id)!;
  }

  exists(id: string): boolean {
    return this.db.read(() => this.#exists.get(id) !== undefined);
  }

  get(id: string): ClipRecord | undefined {
    return this.db.read(() => toRecord(this.#get.get(id) as Row | undefined));
  }

  getByRequestKey(key: string): ClipRecord | undefined {
    return this.db.read(() => toRecord(this.#byKey.get(key) as Row | undefined));
  }

  list(filter: ClipListFilter = {}): ClipRecord[] {
    const limit = Math.max(1, Math.min(1000, Math.floor(filter.limit ?? 100)));
    const rows = this.db.read(
      () =>
        this.#list.all({
          creatorId: filter.creatorId ?? null,
          states: filter.states === undefined ? null : JSON.stringify(filter.states),
          before: filter.before ?? null,
          limit,
        }) as Row[],
    );
    return rows.map((r) => toRecord(r)!);
  }

  history(id: string): ClipHistoryEntry[] {
    return this.db.read(() => this.#history.all(id) as ClipHistoryEntry[]);
  }

  inStates(states: readonly ClipState[]): ClipRecord[] {
    return this.db.read(() => (this.#inStates.all(JSON.stringify(states)) as Row[]).map((r) => toRecord(r)!));
  }

  /** Published clips whose local file has not been expired, oldest first. */
  publishedWithFiles(): ClipRecord[] {
    return this.db.read(() => (this.#published.all() as Row[]).map((r) => toRecord(r)!));
  }

  /**
   * Moves a clip from `from` to `to` with `patch`, plus one history row. Call
   * inside `db.write`. Returns the new record, or undefined (and writes
   * nothing) when the clip is not in `from` any more.
   */
  transition(id: string, from: ClipState, to: ClipState, at: number, reason: string, patch: ClipPatch = {}): ClipRecord | undefined {
    const current = this.get(id);
    if (current === undefined || current.state !== from) return undefined;
    const { job: jobPatch, ...clipPatch } = patch;
    const next: ClipRecord = { ...current, ...clipPatch, state: to, updatedAt: at, job: { ...current.job, ...jobPatch, updatedAt: at } };
    const changed = this.#updateClip.run({
      id,
      expected: from,
      state: to,
      output_path: next.outputPath,
      poster_path: next.posterPath,
      url: next.url,
      duration_sec: next.durationSec,
      error: next.error,
      error_code: next.errorCode,
      updated_at: at,
      published_at: next.publishedAt,
      expired_at: next.expiredAt,
    }).changes;
    if (changed !== 1) return undefined;
    this.#updateJob.run({ id, ...next.job });
    this.#insertHistory.run(id, from, to, at, reason);
    return next;
  }

  /** Marks a published clip's local file as deleted by retention (not a state change). Call inside `db.write`. */
  markExpired(id: string, at: number): void {
    this.#expire.run(at, at, id);
  }
}

function toRecord(row: Row | undefined): ClipRecord | undefined {
  if (row === undefined) return undefined;
  return {
    id: row.id,
    creatorId: row.creator_id,
    platform: row.platform,
    title: row.title,
    requestedBy: row.requested_by,
    requestKey: row.request_key,
    seconds: row.seconds,
    mode: row.mode,
    state: row.state,
    outputPath: row.output_path,
    posterPath: row.poster_path ?? null,
    url: row.url,
    durationSec: row.duration_sec,
    error: row.error,
    errorCode: row.error_code,
    destination: row.destination,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    expiredAt: row.expired_at,
    job: {
      phase: row.phase,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      nextRunAt: row.next_run_at,
      lockedBy: row.locked_by,
      lockedAt: row.locked_at,
      lastError: row.last_error,
      lastErrorCode: row.last_error_code,
      updatedAt: row.job_updated_at,
    },
  };
}
