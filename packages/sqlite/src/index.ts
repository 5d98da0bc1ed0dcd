/**
 * @streamsuites/sqlite — the one better-sqlite3 connection wrapper the
 * StreamSuites packages share (store-sqlite's state store and jobs,
 * plugin-clips' clip tables): a checked open, WAL, versioned migrations,
 * `BEGIN IMMEDIATE` writes, and SQLite failures turned into the calling
 * package's own coded errors.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger, StreamSuitesError, StreamSuitesErrorOptions } from '@streamsuites/kernel';

type ErrorOptions = { cause?: unknown; details?: Record<string, unknown> };

/** How a package names each kind of SQLite failure (its own SS_ERR_ codes). */
export interface SqliteErrors {
  /** The folder cannot be created or written, the path is a folder, or SQLite cannot open/write the file. */
  unwritable(path: string, reason: string, options: ErrorOptions): StreamSuitesError;
  corrupt(file: string, reason: string, options: ErrorOptions): StreamSuitesError;
  locked(file: string, busyTimeoutMs: number, options: ErrorOptions): StreamSuitesError;
  schemaNewer(file: string, found: number, ours: number): StreamSuitesError;
  /** Anything else (the message includes SQLite's code). */
  failed(file: string, message: string, options: StreamSuitesErrorOptions): StreamSuitesError;
  /** Used after close(). */
  closed(file: string, options: ErrorOptions): StreamSuitesError;
}

/** One schema step. Append only: a released migration is never edited. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export interface OpenSqliteOptions {
  /** The database file (resolved against the current directory). */
  file: string;
  /** Wait for another connection's lock this long (default 5000 ms). */
  busyTimeoutMs?: number;
  synchronous?: 'normal' | 'full';
  foreignKeys?: boolean;
  /** Where applied migrations are recorded (one table per package, so packages can share a file). */
  migrationsTable: string;
  migrations: readonly SqliteMigration[];
  /**
   * `always`: take the write lock at open to check and migrate (a file locked
   * by another process fails the open). `when-pending`: read first, lock only
   * when a migration is due (an up-to-date file opens while another
   * connection holds the lock).
   */
  migrate?: 'always' | 'when-pending';
  errors: SqliteErrors;
  logger?: Logger;
  /** Prefix of the migration log line, e.g. `clips: `. */
  logPrefix?: string;
}

/**
 * One better-sqlite3 connection. Every read and write goes through `read` /
 * `write`, which turn SQLite failures into the package's coded errors; every
 * write is one `BEGIN IMMEDIATE` transaction (the write lock is taken up
 * front, so a busy database fails after busy_timeout instead of deadlocking
 * on a lock upgrade).
 */
export class SqliteConnection {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly #db: Database.Database;
  readonly #errors: SqliteErrors;
  readonly #migrationsTable: string;

  protected constructor(db: Database.Database, file: string, busyTimeoutMs: number, errors: SqliteErrors, migrationsTable: string) {
    this.#db = db;
    this.file = file;
    this.busyTimeoutMs = busyTimeoutMs;
    this.#errors = errors;
    this.#migrationsTable = migrationsTable;
  }

  /**
   * Opens (creating the folder and file if needed), checks and migrates.
   * A damaged file is reported (`quick_check`) before anything is written to
   * it; on any failure the connection is closed.
   */
  static connect(options: OpenSqliteOptions): SqliteConnection {
    const { db, file, busyTimeoutMs } = openChecked(options);
    return new SqliteConnection(db, file, busyTimeoutMs, options.errors, options.migrationsTable);
  }

  /** For subclasses: a checked, migrated connection and its settings. */
  protected static openParts(options: OpenSqliteOptions): [Database.Database, string, number, SqliteErrors, string] {
    const { db, file, busyTimeoutMs } = openChecked(options);
    return [db, file, busyTimeoutMs, options.errors, options.migrationsTable];
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
      throw translateSqliteError(error, this.file, this.busyTimeoutMs, this.#errors);
    }
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction: all of it commits, or none. */
  write<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (error) {
      throw translateSqliteError(error, this.file, this.busyTimeoutMs, this.#errors);
    }
  }

  /** Reads one pragma value (`journal_mode`, `busy_timeout`...). */
  pragma(name: string): unknown {
    return this.read(() => this.#db.pragma(name, { simple: true }));
  }

  /** The newest applied migration of this package's table. */
  schemaVersion(): number {
    return this.read(() => this.#db.prepare<[], number>(`SELECT MAX(version) FROM ${this.#migrationsTable}`).pluck().get() ?? 0);
  }

  get open(): boolean {
    return this.#db.open;
  }

  /** Closes the connection (SQLite checkpoints the WAL into the file). Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function openChecked(options: OpenSqliteOptions): { db: Database.Database; file: string; busyTimeoutMs: number } {
  const file = resolve(options.file);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const { errors } = options;
  prepareDirectory(file, errors);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    // Read-only check first: a damaged file is reported, never "repaired" by our writes.
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw errors.corrupt(file, `quick_check: ${String(check).split('\n').slice(0, 2).join(' ')}`, { details: { file } });
    // WAL: readers never block the writer, and a commit is one append to the log.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') options.logger?.warn({ file, mode }, 'SQLite could not use WAL journal mode here; continuing in its default mode');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    if (options.foreignKeys) db.pragma('foreign_keys = ON');
    migrate(db, file, options);
    return { db, file, busyTimeoutMs };
  } catch (error) {
    db?.close();
    throw translateSqliteError(error, file, busyTimeoutMs, errors);
  }
}

function prepareDirectory(file: string, errors: SqliteErrors): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw errors.unwritable(dir, describe(error), { cause: error, details: { file } });
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch {
    // Does not exist yet: SQLite creates it.
  }
  if (isDirectory) throw errors.unwritable(file, 'the path is a folder', { details: { file } });
}

/** Applies pending migrations in one write transaction; refuses a schema newer than ours. */
function migrate(db: Database.Database, file: string, options: OpenSqliteOptions): void {
  const table = options.migrationsTable;
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new TypeError(`invalid migrations table name "${table}"`);
  const ours = Math.max(0, ...options.migrations.map((m) => m.version));
  const pending = (): Set<number> => {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
    const applied = new Set(exists ? db.prepare<[], number>(`SELECT version FROM ${table}`).pluck().all() : []);
    const newest = Math.max(0, ...applied);
    if (newest > ours) throw options.errors.schemaNewer(file, newest, ours);
    return new Set(options.migrations.filter((m) => !applied.has(m.version)).map((m) => m.version));
  };
  if (options.migrate === 'when-pending' && pending().size === 0) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const due = pending(); // again, under the write lock: another process may have migrated meanwhile
    const record = db.prepare(`INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`);
    for (const migration of options.migrations) {
      if (!due.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      options.logger?.info({ file, version: migration.version, migration: migration.name }, `${options.logPrefix ?? ''}SQLite migration applied`);
    }
  }).immediate();
}

/** SQLite's result codes as the package's coded errors, naming the file. */
export function translateSqliteError(error: unknown, file: string, busyTimeoutMs: number, errors: SqliteErrors): StreamSuitesError {
  if (isCoded(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = describe(error);
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) {
    if (error instanceof TypeError && /not open/.test(error.message)) return errors.closed(file, { cause: error });
    if (isMissingAddon(error, code)) return errors.failed(file, message, { cause: error, hint: MISSING_ADDON_HINT });
    return errors.failed(file, message, { cause: error });
  }
  const details = { file, sqliteCode: code };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return errors.locked(file, busyTimeoutMs, { cause: error, details });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return errors.corrupt(file, message, { cause: error, details });
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return errors.unwritable(file, message, { cause: error, details });
  }
  return errors.failed(file, `${message} (${code})`, { cause: error, details });
}

/** Not a disk problem: better-sqlite3's compiled addon is absent or built for another Node.js. */
const MISSING_ADDON_HINT =
  "better-sqlite3's native addon could not be loaded (not built, or built for another Node.js version): run `npm rebuild better-sqlite3` (or `pnpm rebuild better-sqlite3`) with this Node.js; it compiles from source with python3, make and a C++ compiler when no prebuilt binary downloads.";

function isMissingAddon(error: unknown, code: unknown): boolean {
  if (code === 'ERR_DLOPEN_FAILED') return true;
  const text = error instanceof Error ? error.message : String(error);
  return /Could not locate the bindings file|NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3\.node/.test(text);
}

function isCoded(error: unknown): error is StreamSuitesError {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SS_ERR_');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
