/**
 * The clip engine (its steps run as jobs on the kernel's JobRegistry) and
 * its SQLite tables (the package's src/index.ts re-exports what is public).
 */
export { ClipsDatabase, CLIPS_DB_FILE } from './db/database.js';
export type { OpenClipsDatabaseOptions } from './db/database.js';
export { CLIPS_MIGRATIONS, CLIPS_MIGRATIONS_TABLE, CLIPS_SCHEMA_VERSION } from './db/migrations.js';
export type { ClipsMigration } from './db/migrations.js';
export type { ClipHistoryEntry, ClipJobPhase, ClipJobRecord, ClipListFilter, ClipRecord } from './db/clip-store.js';
export { ClipJobs } from './jobs/engine.js';
export { CLIP_ENCODE_JOB, CLIP_UPLOAD_JOB } from './jobs/job-types.js';
export type { ClipJobPayload } from './jobs/job-types.js';
export type {
  ClipBackoff,
  ClipDestinationResolver,
  ClipJobsOptions,
  ClipRecoveryReport,
  ClipRetentionOptions,
  ClipRetentionReport,
  ClipSourceInfo,
  ClipSourceResolver,
  ClipStep,
  CreateClipRequest,
} from './jobs/options.js';
export { clipFileName, posterFileName } from './jobs/files.js';
export { CLIP_ID_LENGTH, cryptoRandom, drawClipId, isClipId } from './jobs/ids.js';
export type { RandomSource } from './jobs/ids.js';
export { DEFAULT_TITLE_MAX_LENGTH, sanitizeTitle } from './jobs/title.js';
export { maskLocalPaths, publicClipUrl, toPublicClip } from './jobs/views.js';
export type { PublicClip } from './jobs/views.js';
export * from './jobs/errors.js';
