/**
 * The schema, as ordered migrations. Append only: a released migration is
 * never edited, a change is a new entry. `schema_migrations` records which
 * ones ran; all pending ones run in one transaction at open.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'state: key-value and append-only tables',
    sql: `
      CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key       TEXT NOT NULL,
        value     TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      ) WITHOUT ROWID;
      -- last_seq outlives trims, so sequence numbers are never reused.
      CREATE TABLE log_tables (
        name     TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE log_rows (
        tbl    TEXT NOT NULL,
        seq    INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (tbl, seq)
      ) WITHOUT ROWID;`,
  },
  {
    version: 2,
    name: 'jobs',
    sql: `
      CREATE TABLE jobs (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        type         TEXT NOT NULL,
        creator_id   TEXT,
        state        TEXT NOT NULL,
        payload      TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        run_at       INTEGER NOT NULL,
        started_at   INTEGER,
        finished_at  INTEGER,
        error        TEXT,
        error_code   TEXT,
        result       TEXT
      );
      CREATE INDEX jobs_due ON jobs (type, state, run_at, seq);
      CREATE INDEX jobs_finished ON jobs (state, finished_at);`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
