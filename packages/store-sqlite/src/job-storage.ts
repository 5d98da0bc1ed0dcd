import type { JobRow, JobRowFilter, JobStorage } from '@streamsuites/defaults';
import type { SqliteDatabase } from './database.js';

/** Column names of `jobs` (migration 2) as JobRow fields. */
const COLUMNS = `id, type, creator_id AS creatorId, state, payload, attempts, max_attempts AS maxAttempts,
  created_at AS createdAt, updated_at AS updatedAt, run_at AS runAt, started_at AS startedAt,
  finished_at AS finishedAt, error, error_code AS errorCode, result`;

/**
 * The kernel's JobStorage on the `jobs` table. `seq` (AUTOINCREMENT, never
 * reused) is the insertion order; `replace` is a compare-and-set on state and
 * attempts in one UPDATE. Lists of states or creators are bound as one JSON
 * array (`json_each`), so every statement is prepared once.
 */
export class SqliteJobStorage implements JobStorage {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #get;
  readonly #list;
  readonly #replace;
  readonly #nextDue;
  readonly #nextRunAt;
  readonly #prune;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO jobs (id, type, creator_id, state, payload, attempts, max_attempts, created_at,
      updated_at, run_at, started_at, finished_at, error, error_code, result)
      VALUES (@id, @type, @creatorId, @state, @payload, @attempts, @maxAttempts, @createdAt,
      @updatedAt, @runAt, @startedAt, @finishedAt, @error, @errorCode, @result)`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`);
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM jobs
      WHERE (@type IS NULL OR type = @type)
        AND (@creatorId IS NULL OR creator_id = @creatorId)
        AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
      ORDER BY seq DESC LIMIT @limit`);
    this.#replace = db.prepare(`UPDATE jobs SET state = @state, attempts = @attempts, max_attempts = @maxAttempts,
      updated_at = @updatedAt, run_at = @runAt, started_at = @startedAt, finished_at = @finishedAt,
      error = @error, error_code = @errorCode, result = @result
      WHERE id = @id AND state = @expectedState AND attempts = @expectedAttempts`);
    this.#nextDue = db.prepare(`SELECT ${COLUMNS} FROM jobs
      WHERE type = @type AND state = 'queued' AND run_at <= @now
        AND (creator_id IS NULL OR creator_id NOT IN (SELECT value FROM json_each(@exclude)))
      ORDER BY run_at, seq LIMIT 1`);
    this.#nextRunAt = db
      .prepare(`SELECT MIN(run_at) FROM jobs
        WHERE state = 'queued' AND run_at > @now AND type IN (SELECT value FROM json_each(@types))`)
      .pluck();
    this.#prune = db.prepare(`DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') AND finished_at < ?`);
  }

  insert(row: JobRow): void {
    this.#db.write(() => this.#insert.run(row));
  }

  get(id: string): JobRow | undefined {
    return this.#db.read(() => this.#get.get(id) as JobRow | undefined);
  }

  list(filter: JobRowFilter): JobRow[] {
    return this.#db.read(
      () =>
        this.#list.all({
          type: filter.type ?? null,
          creatorId: filter.creatorId ?? null,
          states: filter.states === undefined ? null : JSON.stringify(filter.states),
          limit: filter.limit ?? -1,
        }) as JobRow[],
    );
  }

  replace(row: JobRow, expected: { state: JobRow['state']; attempts: number }): boolean {
    return this.#db.write(
      () => this.#replace.run({ ...row, expectedState: expected.state, expectedAttempts: expected.attempts }).changes === 1,
    );
  }

  nextDue(type: string, now: number, excludeCreators: readonly string[]): JobRow | undefined {
    return this.#db.read(() => this.#nextDue.get({ type, now, exclude: JSON.stringify(excludeCreators) }) as JobRow | undefined);
  }

  nextRunAt(types: readonly string[], now: number): number | undefined {
    if (types.length === 0) return undefined;
    return this.#db.read(() => (this.#nextRunAt.get({ now, types: JSON.stringify(types) }) as number | null) ?? undefined);
  }

  prune(before: number): number {
    return this.#db.write(() => this.#prune.run(before).changes);
  }
}
