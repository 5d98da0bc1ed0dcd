import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger, StreamSuitesError } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_DB, SS_ERR_CLIPS_DB_CORRUPT, SS_ERR_CLIPS_DB_LOCKED, SS_ERR_CLIPS_DB_SCHEMA_NEWER } from '../jobs/errors.js';
import { CLIPS_MIGRATIONS, CLIPS_MIGRATIONS_TABLE, CLIPS_SCHEMA_VERSION } from './migrations.js';

/** The database file the reference runtime uses, inside the manifest's dataDir. */
export const CLIPS_DB_FILE = 'streamsuites.db';

export interface OpenClipsDatabaseOptions {
  /** The manifest's dataDir: the database is `<dataDir>/streamsuites.db`. */
  dataDir?: string;
  /** Or the database file itself (wins over dataDir). */
  file?: string;
  /** Wait for another connection's write lock this long (default 5000 ms), then SS_ERR_CLIPS_DB_LOCKED. */
  busyTimeoutMs?: number;
  logger?: Logger;
}

/**
 * One better-sqlite3 connection to `streamsuites.db` with the clip tables:
 * WAL, busy_timeout, foreign keys, and the versioned migrations applied at
 * open. Every read and write goes through `read`/`write`, which turn SQLite
 * failures into coded errors; every write is one `BEGIN IMMEDIATE`
 * transaction (the write lock is taken up front, so a busy database fails
 * after busy_timeout instead of deadlocking on a lock upgrade).
 *
 * Other packages may open the same file (store-sqlite does): the clip tables,
 * indexes and `clips_migrations` do not clash with theirs.
 */
export class ClipsDatabase {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly #db: Database.Database;

  private constructor(db: Database.Database, file: string, busyTimeoutMs: number) {
    this.#db = db;
    this.file = file;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * Opens (creating the folder and file if needed), checks and migrates.
   * Throws SS_ERR_CLIPS_DB_CORRUPT (nothing is written to a damaged file),
   * SS_ERR_CLIPS_DB_LOCKED (a migration is due and another connection holds
   * the write lock), SS_ERR_CLIPS_DB_SCHEMA_NEWER or SS_ERR_CLIPS_DB; on
   * failure the connection is closed.
   */
  static open(options: OpenClipsDatabaseOptions): ClipsDatabase {
    const given = options.file ?? (options.dataDir === undefined ? undefined : join(options.dataDir, CLIPS_DB_FILE));
    if (given === undefined) throw new SS_ERR_CLIPS_DB('(none)', 'neither dataDir nor file was given');
    const file = resolve(given);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    prepareDirectory(file);
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: busyTimeoutMs });
      // Read-only check first: a damaged file is reported, never "repaired" by our writes.
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new SS_ERR_CLIPS_DB_CORRUPT(file, `quick_check: ${String(check).split('\n').slice(0, 2).join(' ')}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') options.logger?.warn({ file, mode }, 'SQLite could not use WAL journal mode here; continuing in its default mode');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, file, options.logger);
      return new ClipsDatabase(db, file, busyTimeoutMs);
    } catch (error) {
      db?.close();
      throw translateSqliteError(error, file, busyTimeoutMs);
    }
  }

  /** Prepares a statement (once; keep the result). */
  prepare(sql: string): Database.Statement {
    return this.read(() => this.#db.prepare(sql));
  }

  /** Runs a read; SQLite failures become coded errors. */
  read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateSqliteError(error, this.file, this.busyTimeoutMs);
    }
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it commits, or none. */
  write<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (error) {
      throw translateSqliteError(error, this.file, this.busyTimeoutMs);
    }
  }

  /** Reads one pragma value (`journal_mode`, `busy_timeout`...). */
  pragma(name: string): unknown {
    return this.read(() => this.#db.pragma(name, { simple: true }));
  }

  /** The schema version of the clip tables (the newest applied migration). */
  schemaVersion(): number {
    return this.read(() => this.#db.prepare<[], number>(`SELECT MAX(version) FROM ${CLIPS_MIGRATIONS_TABLE}`).pluck().get() ?? 0);
  }

  get open(): boolean {
    return this.#db.open;
  }

  /** Closes the connection (SQLite checkpoints the WAL into the file). Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function prepareDirectory(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new SS_ERR_CLIPS_DB(file, `cannot create or write its folder ${dir}: ${describe(error)}`, { cause: error, details: { file } });
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch {
    // Does not exist yet: SQLite creates it.
  }
  if (isDirectory) throw new SS_ERR_CLIPS_DB(file, 'the path is a folder', { details: { file } });
}

/**
 * Applies pending migrations in one write transaction. Reads first, so an
 * up-to-date database opens even while another connection holds the write lock.
 */
function migrate(db: Database.Database, file: string, logger: Logger | undefined): void {
  const pending = (): number[] => {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(CLIPS_MIGRATIONS_TABLE) !== undefined;
    const applied = new Set(exists ? db.prepare<[], number>(`SELECT version FROM ${CLIPS_MIGRATIONS_TABLE}`).pluck().all() : []);
    const newest = Math.max(0, ...applied);
    if (newest > CLIPS_SCHEMA_VERSION) throw new SS_ERR_CLIPS_DB_SCHEMA_NEWER(file, newest, CLIPS_SCHEMA_VERSION);
    return CLIPS_MIGRATIONS.filter((m) => !applied.has(m.version)).map((m) => m.version);
  };
  if (pending().length === 0) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${CLIPS_MIGRATIONS_TABLE} (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const due = new Set(pending()); // again, under the write lock: another process may have migrated meanwhile
    const record = db.prepare(`INSERT INTO ${CLIPS_MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
    for (const migration of CLIPS_MIGRATIONS) {
      if (!due.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      logger?.info({ file, version: migration.version, migration: migration.name }, 'clips: SQLite migration applied');
    }
  }).immediate();
}

/** SQLite's result codes as coded errors naming the file. */
export function translateSqliteError(error: unknown, file: string, busyTimeoutMs: number): StreamSuitesError {
  if (isCoded(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = describe(error);
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) {
    if (error instanceof TypeError && /not open/.test(error.message)) return new SS_ERR_CLIPS_DB(file, 'the connection is closed', { cause: error });
    return new SS_ERR_CLIPS_DB(file, message, { cause: error });
  }
  const details = { file, sqliteCode: code };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new SS_ERR_CLIPS_DB_LOCKED(file, busyTimeoutMs, { cause: error, details });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new SS_ERR_CLIPS_DB_CORRUPT(file, message, { cause: error, details });
  return new SS_ERR_CLIPS_DB(file, `${message} (${code})`, { cause: error, details });
}

function isCoded(error: unknown): error is StreamSuitesError {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SS_ERR_');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
