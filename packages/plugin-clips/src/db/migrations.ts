/**
 * The clip tables, as ordered migrations. Append only: a released migration
 * is never edited; a change is a new entry. `clips_migrations` records which
 * ones ran (its own name, so it never clashes with another package's
 * `schema_migrations` in the same `streamsuites.db`).
 */
export interface ClipsMigration {
  version: number;
  name: string;
  sql: string;
}

export const CLIPS_MIGRATIONS_TABLE = 'clips_migrations';

export const CLIPS_MIGRATIONS: readonly ClipsMigration[] = [
  {
    version: 1,
    name: 'clips, clip_jobs, clip_state_history',
    sql: `
      CREATE TABLE clips (
        id           TEXT PRIMARY KEY CHECK (length(id) = 6 AND id NOT GLOB '*[^a-z0-9]*'),
        creator_id   TEXT NOT NULL,
        platform     TEXT NOT NULL,
        title        TEXT NOT NULL,
        requested_by TEXT,
        request_key  TEXT UNIQUE,
        seconds      REAL NOT NULL CHECK (seconds > 0),
        mode         TEXT NOT NULL CHECK (mode IN ('copy', 'reencode')),
        state        TEXT NOT NULL CHECK (state IN ('queued', 'encoding', 'encoded', 'uploading', 'published', 'failed')),
        output_path  TEXT,
        url          TEXT,
        duration_sec REAL,
        error        TEXT,
        error_code   TEXT,
        destination  TEXT,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        published_at INTEGER,
        expired_at   INTEGER
      );
      CREATE INDEX clips_by_creator ON clips (creator_id, created_at);
      CREATE INDEX clips_by_state ON clips (state, created_at);

      -- One row per clip: the work left to do. phase 'encode' goes with state
      -- queued/encoding, 'upload' with encoded/uploading, 'done' with the end states.
      -- attempts/max_attempts count the current phase; locked_by/locked_at name
      -- the engine running it (cleared on release and by crash recovery).
      CREATE TABLE clip_jobs (
        clip_id         TEXT PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
        phase           TEXT NOT NULL CHECK (phase IN ('encode', 'upload', 'done')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        max_attempts    INTEGER NOT NULL,
        next_run_at     INTEGER,
        locked_by       TEXT,
        locked_at       INTEGER,
        last_error      TEXT,
        last_error_code TEXT,
        updated_at      INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX clip_jobs_due ON clip_jobs (phase, next_run_at);

      CREATE TABLE clip_state_history (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        clip_id    TEXT NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
        from_state TEXT,
        to_state   TEXT NOT NULL,
        at         INTEGER NOT NULL,
        reason     TEXT
      );
      CREATE INDEX clip_state_history_by_clip ON clip_state_history (clip_id, seq);`,
  },
  {
    version: 2,
    name: 'clips.poster_path',
    // The clip's JPEG poster frame (`<outputDir>/<id>.jpg`) once encoded; null when it has none (its making failed, or an older clip).
    sql: `ALTER TABLE clips ADD COLUMN poster_path TEXT;`,
  },
];

export const CLIPS_SCHEMA_VERSION = CLIPS_MIGRATIONS.at(-1)!.version;
