import { join } from 'node:path';
import { SqliteConnection, translateSqliteError as translate, type SqliteErrors } from '@streamsuites/sqlite';
import type { Logger, StreamSuitesError } from '@streamsuites/kernel';
import { SS_ERR_CLIPS_DB, SS_ERR_CLIPS_DB_CORRUPT, SS_ERR_CLIPS_DB_LOCKED, SS_ERR_CLIPS_DB_SCHEMA_NEWER } from '../jobs/errors.js';
import { CLIPS_MIGRATIONS, CLIPS_MIGRATIONS_TABLE } from './migrations.js';

/** The database file the reference runtime uses, inside the manifest's dataDir. */
export const CLIPS_DB_FILE = 'streamsuites.db';

/** SQLite failures as the clips' coded errors. */
const CLIPS_ERRORS: SqliteErrors = {
  unwritable: (path, reason, options) => new SS_ERR_CLIPS_DB(path, `cannot create or write it: ${reason}`, options),
  corrupt: (file, reason, options) => new SS_ERR_CLIPS_DB_CORRUPT(file, reason, options),
  locked: (file, busyTimeoutMs, options) => new SS_ERR_CLIPS_DB_LOCKED(file, busyTimeoutMs, options),
  schemaNewer: (file, found, ours) => new SS_ERR_CLIPS_DB_SCHEMA_NEWER(file, found, ours),
  failed: (file, message, options) => new SS_ERR_CLIPS_DB(file, message, options),
  closed: (file, options) => new SS_ERR_CLIPS_DB(file, 'the connection is closed', options),
};

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
 * The connection (@streamsuites/sqlite) to `streamsuites.db` with the clip
 * tables: WAL, busy_timeout, foreign keys, and the versioned migrations
 * applied at open. Every read and write goes through `read`/`write`, which
 * turn SQLite failures into coded errors; every write is one `BEGIN
 * IMMEDIATE` transaction.
 *
 * Other packages may open the same file (store-sqlite does): the clip tables,
 * indexes and `clips_migrations` do not clash with theirs.
 */
export class ClipsDatabase extends SqliteConnection {
  /**
   * Opens (creating the folder and file if needed), checks and migrates.
   * Throws SS_ERR_CLIPS_DB_CORRUPT (nothing is written to a damaged file),
   * SS_ERR_CLIPS_DB_LOCKED (a migration is due and another connection holds
   * the write lock), SS_ERR_CLIPS_DB_SCHEMA_NEWER or SS_ERR_CLIPS_DB; on
   * failure the connection is closed. An up-to-date file opens even while
   * another connection holds the write lock.
   */
  static open(options: OpenClipsDatabaseOptions): ClipsDatabase {
    const given = options.file ?? (options.dataDir === undefined ? undefined : join(options.dataDir, CLIPS_DB_FILE));
    if (given === undefined) throw new SS_ERR_CLIPS_DB('(none)', 'neither dataDir nor file was given');
    return new ClipsDatabase(
      ...SqliteConnection.openParts({
        file: given,
        ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        foreignKeys: true,
        migrationsTable: CLIPS_MIGRATIONS_TABLE,
        migrations: CLIPS_MIGRATIONS,
        migrate: 'when-pending',
        logPrefix: 'clips: ',
        errors: CLIPS_ERRORS,
      }),
    );
  }
}

/** SQLite's result codes as the clips' coded errors naming the file. */
export function translateSqliteError(error: unknown, file: string, busyTimeoutMs: number): StreamSuitesError {
  return translate(error, file, busyTimeoutMs, CLIPS_ERRORS);
}
