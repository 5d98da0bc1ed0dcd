import { SqliteConnection, translateSqliteError, type SqliteErrors } from '@streamsuites/sqlite';
import { SS_ERR_STORE_CLOSED } from '@streamsuites/defaults';
import type { Logger, StreamSuitesError } from '@streamsuites/kernel';
import {
  SS_ERR_STORE_CORRUPT,
  SS_ERR_STORE_FAILED,
  SS_ERR_STORE_LOCKED,
  SS_ERR_STORE_SCHEMA_NEWER,
  SS_ERR_STORE_UNWRITABLE,
} from './errors.js';
import { MIGRATIONS } from './migrations.js';

/** SQLite failures as the store's coded errors. */
const STORE_ERRORS: SqliteErrors = {
  unwritable: (path, reason, options) => new SS_ERR_STORE_UNWRITABLE(path, reason, options),
  corrupt: (file, reason, options) => new SS_ERR_STORE_CORRUPT(file, reason, options),
  locked: (file, busyTimeoutMs, options) => new SS_ERR_STORE_LOCKED(file, busyTimeoutMs, options),
  schemaNewer: (file, found, ours) => new SS_ERR_STORE_SCHEMA_NEWER(file, found, ours),
  failed: (file, message, options) => new SS_ERR_STORE_FAILED(file, message, options),
  closed: (file, options) => new SS_ERR_STORE_CLOSED(`The SQLite database ${file}`, options),
};

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
 * The store's connection (@streamsuites/sqlite) with its schema: every read
 * and write goes through `read`/`write`, which turn SQLite failures into the
 * store's coded errors; every write is one `BEGIN IMMEDIATE` transaction.
 */
export class SqliteDatabase extends SqliteConnection {
  /**
   * Opens (creating the folder and file if needed), checks and migrates the
   * database. Synchronous, because service factories are. Throws
   * SS_ERR_STORE_UNWRITABLE, SS_ERR_STORE_CORRUPT, SS_ERR_STORE_LOCKED,
   * SS_ERR_STORE_SCHEMA_NEWER or SS_ERR_STORE_FAILED; on failure nothing is
   * written to an existing file and the connection is closed. The write lock
   * is taken at open (a file another process holds is SS_ERR_STORE_LOCKED).
   */
  static open(options: OpenDatabaseOptions): SqliteDatabase {
    return new SqliteDatabase(
      ...SqliteConnection.openParts({
        file: options.file,
        ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        migrationsTable: 'schema_migrations',
        migrations: MIGRATIONS,
        migrate: 'always',
        errors: STORE_ERRORS,
      }),
    );
  }
}

/** SQLite's result codes, as the store's coded errors naming the file. */
export function translate(error: unknown, file: string, busyTimeoutMs: number): StreamSuitesError {
  return translateSqliteError(error, file, busyTimeoutMs, STORE_ERRORS);
}
