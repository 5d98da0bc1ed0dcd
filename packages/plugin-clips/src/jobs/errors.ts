import { defineError } from '@streamsuites/kernel';

/*
 * Error codes of the clip job engine and its SQLite database. Each key equals
 * its code; the package's src/errors.ts re-exports them and the README
 * "Errors" table documents them.
 */

export const SS_ERR_CLIPS_DB = defineError(
  'SS_ERR_CLIPS_DB',
  (file: string, problem: string) => `The clips database ${file} failed: ${problem}`,
  'Check that the manifest dataDir exists, is writable by this user and has free space; the message names the SQLite error.',
);
export const SS_ERR_CLIPS_DB_CORRUPT = defineError(
  'SS_ERR_CLIPS_DB_CORRUPT',
  (file: string, problem: string) => `The clips database ${file} is damaged or is not a SQLite database (${problem})`,
  (file: string) =>
    `Nothing was written to it. Stop StreamSuites, move ${file} (and its -wal/-shm files) away, keep it for "sqlite3 .recover", or restore it from a backup; a new empty database is created at that path on the next start.`,
);
export const SS_ERR_CLIPS_DB_LOCKED = defineError(
  'SS_ERR_CLIPS_DB_LOCKED',
  (file: string, waitedMs: number) => `The clips database ${file} is locked by another connection (waited ${waitedMs} ms)`,
  'Another process holds a write transaction on it: run one StreamSuites process per dataDir and close any sqlite3 shell holding a transaction.',
);
export const SS_ERR_CLIPS_DB_SCHEMA_NEWER = defineError(
  'SS_ERR_CLIPS_DB_SCHEMA_NEWER',
  (file: string, found: number, known: number) =>
    `The clips tables in ${file} have schema version ${found}, newer than this @streamsuites/plugin-clips knows (${known})`,
  'A newer version wrote them: upgrade @streamsuites/plugin-clips, or point this one at another dataDir.',
);
export const SS_ERR_CLIP_NOT_FOUND = defineError('SS_ERR_CLIP_NOT_FOUND', (clipId: string) => `No clip with id "${clipId}"`);
export const SS_ERR_CLIP_INVALID = defineError(
  'SS_ERR_CLIP_INVALID',
  (field: string, problem: string) => `Invalid clip request: ${field} ${problem}`,
);
export const SS_ERR_CLIP_ID_EXHAUSTED = defineError(
  'SS_ERR_CLIP_ID_EXHAUSTED',
  (tries: number) => `Could not find a free clip id after ${tries} tries`,
  'The random source keeps repeating ids that are taken (or yields too few usable bytes): use crypto randomness.',
);
export const SS_ERR_CLIP_DESTINATION_UNKNOWN = defineError(
  'SS_ERR_CLIP_DESTINATION_UNKNOWN',
  (name: string, known: string) => `Unknown clip destination "${name}" (configured: ${known})`,
  'Name a destination from the clips plugin config, or configure a default destination.',
);
export const SS_ERR_CLIP_NO_SOURCE = defineError(
  'SS_ERR_CLIP_NO_SOURCE',
  (creatorId: string, platform: string) => `No capture is running for creator "${creatorId}" on ${platform}, so there is nothing to cut`,
  'A clip cuts from the live capture buffer: the creator must be live and the capture started.',
);
export const SS_ERR_CLIP_OUTPUT_MISSING = defineError(
  'SS_ERR_CLIP_OUTPUT_MISSING',
  (clipId: string, path: string, problem: string) => `The output of clip "${clipId}" at ${path} is not usable: ${problem}`,
);
export const SS_ERR_CLIP_INTERRUPTED = defineError(
  'SS_ERR_CLIP_INTERRUPTED',
  (clipId: string, state: string, attempts: number) =>
    `Clip "${clipId}" was interrupted while ${state} (the process ended) on ${attempts} attempt(s)`,
);
export const SS_ERR_CLIP_TIMEOUT = defineError(
  'SS_ERR_CLIP_TIMEOUT',
  (clipId: string, step: string, ms: number) => `Clip "${clipId}": ${step} took longer than ${ms} ms and was aborted`,
);
export const SS_ERR_CLIP_ENCODE_FAILED = defineError(
  'SS_ERR_CLIP_ENCODE_FAILED',
  (clipId: string, problem: string) => `Encoding clip "${clipId}" failed: ${problem}`,
);
export const SS_ERR_CLIP_DESTINATION_FAILED = defineError(
  'SS_ERR_CLIP_DESTINATION_FAILED',
  (destination: string, problem: string) => `Clip destination "${destination}" failed: ${problem}`,
);
