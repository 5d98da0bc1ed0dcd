import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SS_ERR_STORE_CLOSED, type Logger, type StreamSuitesError } from '@streamsuites/kernel';
import {
  SS_ERR_STORE_CORRUPT,
  SS_ERR_STORE_FAILED,
  SS_ERR_STORE_LOCKED,
  SS_ERR_STORE_SCHEMA_NEWER,
  SS_ERR_STORE_UNWRITABLE,
} from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export interface OpenDatabaseOptions {
  /** The database file (resolved against the current directory). */
  file: string;
  /** Wait for another connection's lock this long (default 5000 ms). */
  busyTimeoutMs?: number;
  /** `normal` (default) or `full`; see the plugin config. */
  synchronous?: 'normal' | 'full';
  logger?: Logger;
}

/**
 * One better-sqlite3 connection with our pragmas and schema. Every read and
 * write goes through `read`/`write`, which turn SQLite failures into coded
 * errors; every write runs in a `BEGIN IMMEDIATE` transaction (taking the
 * write lock up front, so a busy database fails after busy_timeout instead of
 * deadlocking on a lock upgrade).
 */
export class SqliteDatabase {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly #db: Database.Database;

  private constructor(db: Database.Database, file: string, busyTimeoutMs: number) {
    this.#db = db;
    this.file = file;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * Opens (creating the folder and file if needed), checks and migrates the
   * database. Synchronous, because service factories are. Throws
   * SS_ERR_STORE_UNWRITABLE, SS_ERR_STORE_CORRUPT, SS_ERR_STORE_LOCKED,
   * SS_ERR_STORE_SCHEMA_NEWER or SS_ERR_STORE_FAILED; on failure nothing is
   * written to an existing file and the connection is closed.
   */
  static open(options: OpenDatabaseOptions): SqliteDatabase {
    const file = resolve(options.file);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    prepareDirectory(file);
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: busyTimeoutMs });
      // Read-only check first: a damaged file must be reported, never "repaired" by our writes.
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new SS_ERR_STORE_CORRUPT(file, `quick_check: ${String(check).split('\n').slice(0, 2).join(' ')}`);
      // WAL: readers never block the writer, and a commit is one append to the log.
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') options.logger?.warn({ file, mode }, 'SQLite could not use WAL journal mode here; continuing in its default mode');
      db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      migrate(db, file, options.logger);
      return new SqliteDatabase(db, file, busyTimeoutMs);
    } catch (error) {
      db?.close();
      throw translate(error, file, busyTimeoutMs);
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
      throw translate(error, this.file, this.busyTimeoutMs);
    }
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it commits, or none. */
  write<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (error) {
      throw translate(error, this.file, this.busyTimeoutMs);
    }
  }

  /** Reads one pragma value (`journal_mode`, `synchronous`...). */
  pragma(name: string): unknown {
    return this.read(() => this.#db.pragma(name, { simple: true }));
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
    throw new SS_ERR_STORE_UNWRITABLE(dir, describe(error), { cause: error, details: { file } });
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch {
    // Does not exist yet: SQLite creates it.
  }
  if (isDirectory) throw new SS_ERR_STORE_UNWRITABLE(file, 'the path is a folder', { details: { file } });
}

/** Applies pending migrations in one transaction; refuses a schema newer than ours. */
function migrate(db: Database.Database, file: string, logger: Logger | undefined): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const applied = new Set(db.prepare<[], number>('SELECT version FROM schema_migrations').pluck().all());
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) throw new SS_ERR_STORE_SCHEMA_NEWER(file, newest, SCHEMA_VERSION);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      logger?.info({ file, version: migration.version, migration: migration.name }, 'SQLite migration applied');
    }
  }).immediate();
}

/** SQLite's result codes, as coded errors naming the file. */
export function translate(error: unknown, file: string, busyTimeoutMs: number): StreamSuitesError {
  if (isCoded(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = describe(error);
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) {
    if (error instanceof TypeError && /not open/.test(error.message)) return new SS_ERR_STORE_CLOSED(`The SQLite database ${file}`, { cause: error });
    return new SS_ERR_STORE_FAILED(file, message, { cause: error });
  }
  const details = { file, sqliteCode: code };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new SS_ERR_STORE_LOCKED(file, busyTimeoutMs, { cause: error, details });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new SS_ERR_STORE_CORRUPT(file, message, { cause: error, details });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return new SS_ERR_STORE_UNWRITABLE(file, message, { cause: error, details });
  }
  return new SS_ERR_STORE_FAILED(file, `${message} (${code})`, { cause: error, details });
}

function isCoded(error: unknown): error is StreamSuitesError {
  return typeof (error as { code?: unknown } | undefined)?.code === 'string' && (error as { code: string }).code.startsWith('SS_ERR_');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
