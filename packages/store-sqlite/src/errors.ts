import { defineError } from '@streamsuites/kernel';

/*
 * Every error code of @streamsuites/store-sqlite. Each key equals its code,
 * and each code is documented in the README "Errors" table (test/errors.test.ts).
 */

export const SS_ERR_STORE_CORRUPT = defineError(
  'SS_ERR_STORE_CORRUPT',
  (file: string, problem: string) => `The database ${file} is damaged or is not a SQLite database (${problem})`,
  (file: string) =>
    `Nothing was written to it. Move ${file} away (keep it: it may be recoverable with "sqlite3 .recover") or restore it from a backup; a new empty database is created at that path on the next start.`,
);
export const SS_ERR_STORE_LOCKED = defineError(
  'SS_ERR_STORE_LOCKED',
  (file: string, waitedMs: number) => `The database ${file} is locked by another connection (waited ${waitedMs} ms)`,
  'Another process is writing to it: stop the other StreamSuites instance (one process per database file) or close the sqlite3 shell holding a transaction; raise busyTimeoutMs only for short lock spikes.',
);
export const SS_ERR_STORE_UNWRITABLE = defineError(
  'SS_ERR_STORE_UNWRITABLE',
  (path: string, problem: string) => `Cannot create or write the database at ${path}: ${problem}`,
  'Check the manifest dataDir and plugins.store-sqlite.config.file: the folder must be creatable and writable by this user, and the path must not be a folder.',
);
export const SS_ERR_STORE_SCHEMA_NEWER = defineError(
  'SS_ERR_STORE_SCHEMA_NEWER',
  (file: string, found: number, known: number) =>
    `The database ${file} has schema version ${found}, newer than this @streamsuites/store-sqlite knows (${known})`,
  'A newer version wrote it: upgrade @streamsuites/store-sqlite, or point this one at another file.',
);
export const SS_ERR_STORE_FAILED = defineError(
  'SS_ERR_STORE_FAILED',
  (file: string, problem: string) => `SQLite failed on ${file}: ${problem}`,
  'Check free disk space and the health of the disk; the message names the SQLite error.',
);
