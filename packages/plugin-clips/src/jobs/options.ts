import type { BackoffPolicy, Clock, JobRegistry, Logger, StreamSuitesError } from '@streamsuites/kernel';
import type { ClipsDatabase } from '../db/database.js';
import type { ClipRecord } from '../db/clip-store.js';
import type { ClipDestination, ClipState, CutMode, CutRequest, Encoder } from '../types.js';
import type { RandomSource } from './ids.js';

/** What the capture offers for a clip: at least its playlist; `seconds`, `mode` and `output` are the engine's. */
export type ClipSourceInfo = Omit<Partial<CutRequest>, 'seconds' | 'mode' | 'output'> & { playlist: string };

/**
 * Finds the live capture to cut a clip from (called at each encode attempt).
 * Undefined means nothing to cut (SS_ERR_CLIP_NO_SOURCE).
 */
export type ClipSourceResolver = (clip: ClipRecord) => ClipSourceInfo | undefined;

export type ClipStep = 'encode' | 'upload';

/** Picks the destination of a clip; undefined means none (SS_ERR_CLIP_DESTINATION_UNKNOWN). */
export type ClipDestinationResolver = (clip: { creatorId: string; platform: string; destination: string | null }) => ClipDestination | undefined;

/** Retry delays of both steps: the kernel's BackoffPolicy (no jitter: job retries are not randomised). */
export type ClipBackoff = Omit<BackoffPolicy, 'jitter'> & {
  /** @deprecated The former name of `initialMs`. */
  baseMs?: number;
};

export interface ClipRetentionOptions {
  /** Delete local files of published clips created more than this many days ago (strictly older). */
  maxAgeDays?: number;
  /** Keep the output folder under this many bytes: delete published clips' files, oldest first. */
  maxTotalBytes?: number;
  /** How often retention runs besides at start and after each publish (default 1 hour). */
  intervalMs?: number;
}

export interface ClipJobsOptions {
  db: ClipsDatabase;
  /**
   * The kernel's job registry (`jobRegistryRef`): the encode and upload steps
   * run on it as `clips.encode` / `clips.upload` jobs. Durable when it is
   * (@streamsuites/store-sqlite); with an in-memory one, `start()` enqueues
   * again the steps of clips a restart interrupted.
   */
  registry: JobRegistry;
  encoder: Encoder;
  source: ClipSourceResolver;
  /**
   * Destinations by name (a clip names one, or gets `defaultDestination`), or
   * a resolver called at create (to check) and at each upload, e.g. the
   * creator's resolved destination. With a resolver the clip's `destination`
   * column is the requested name, else the destination's kind.
   */
  destinations: Readonly<Record<string, ClipDestination>> | ClipDestinationResolver;
  /** Default: the only destination when exactly one is configured (by-name form only). */
  defaultDestination?: string;
  /** Where clips are written as `<id>.mp4`; default `<folder of the database>/clips/output`. The folder belongs to the engine. */
  outputDir?: string;
  /** Encodes at once, and uploads at once (each step is its own job type). Default 2. */
  concurrency?: number;
  /** Encodes (and uploads) of one creator at once. Default 1. */
  perCreatorConcurrency?: number;
  /** Encode attempts per clip, interrupted ones (a crash) included. Default 2. */
  maxEncodeAttempts?: number;
  /** Upload attempts per clip. Default 3. */
  maxUploadAttempts?: number;
  /** Delay before attempt n+1 (`backoffDelay`): min(maxMs, initialMs × factor^(n-1)). Default 5 s, ×2, at most 5 min. */
  backoff?: ClipBackoff;
  /** Default 5 minutes; then the cut is aborted and counts as a failed attempt (SS_ERR_CLIP_TIMEOUT). */
  encodeTimeoutMs?: number;
  /** Default 10 minutes. */
  uploadTimeoutMs?: number;
  /** Whether a failed attempt may be retried (default: yes while attempts remain). A missing destination or file never is. */
  isRetryable?: (error: StreamSuitesError, step: ClipStep, clip: ClipRecord) => boolean;
  /** Longest clip a request may ask for (default 300 s). */
  maxSeconds?: number;
  /** Title length in user-perceived characters (default 100). */
  titleMaxLength?: number;
  retention?: ClipRetentionOptions;
  /**
   * Make a JPEG poster frame `<id>.jpg` next to each clip's mp4 after its cut
   * (when the encoder has `poster()`). A failed poster never fails the clip:
   * it is logged (warn) and counted, and the clip has no poster. Default true.
   */
  posters?: boolean;
  /** Called after each committed state change (the plugin emits `clip.state`). A throw is logged, never breaks the engine. */
  onState?: (clip: ClipRecord, from: ClipState | null, to: ClipState, reason: string) => void;
  /** Called with failures that are not a clip's (database or job registry errors in the background). */
  onError?: (error: StreamSuitesError, clip?: ClipRecord) => void;
  clock?: Clock;
  /** Random bytes for ids (crypto by default). */
  random?: RandomSource;
  logger?: Logger;
  /** Written to clip_jobs.locked_by while a step runs (who runs it; not a lock); default `host:pid:random`. */
  workerId?: string;
}

export interface CreateClipRequest {
  creatorId: string;
  platform: string;
  /** The last `seconds` of the stream. */
  seconds: number;
  /** Display text; sanitized, never used in a path. Default `Clip <id>`. */
  title?: string;
  /** The viewer who asked (admin-only field). */
  requestedBy?: string;
  /** Default `copy`. */
  mode?: CutMode;
  /** A destination name; default `defaultDestination`. */
  destination?: string;
  /** Idempotency key (e.g. `twitch:<message id>`): creating again with it returns the first clip. */
  requestKey?: string;
}

/** What `start()` found and did. */
export interface ClipRecoveryReport {
  /** Interrupted clips that will run again. */
  retried: string[];
  /** Interrupted clips that had no attempts left. */
  failed: string[];
  /** Files removed from the output folder (orphans, partial outputs, files of failed or expired clips). */
  removedFiles: string[];
  /** Published clips whose files retention deleted. */
  expired: string[];
  /** Clips whose step job was enqueued again: they had none in the registry (an in-memory registry after a restart). */
  enqueued: string[];
}

export interface ClipRetentionReport {
  expired: string[];
  freedBytes: number;
}
