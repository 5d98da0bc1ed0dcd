import type { Clock, JobRegistry, Logger } from '@streamsuites/kernel';
import type { ClipRecord, ClipStore } from '../db/clip-store.js';
import type { ClipsDatabase } from '../db/database.js';
import type { ClipDestination, ClipState } from '../types.js';
import type { ClipLimits } from './job-types.js';
import type { ClipJobsOptions, ClipRetentionReport, ClipStep } from './options.js';

/** What the engine's modules (steps, recovery, retention) share: built once by ClipJobs. */
export interface ClipEngine {
  readonly db: ClipsDatabase;
  readonly store: ClipStore;
  readonly options: ClipJobsOptions;
  readonly registry: JobRegistry;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly outputDir: string;
  readonly workerId: string;
  readonly limits: ClipLimits;
  /** Reports a committed state change (onState, then `settled` waiters). */
  emit(clip: ClipRecord, from: ClipState | null, to: ClipState, reason: string): void;
  /** Runs `fn`, reporting a throw through onError instead of raising it. */
  background(fn: () => unknown): void;
  reportError(error: unknown, clip?: ClipRecord): void;
  /** Enqueues the job of a clip's step, in the background (a failure is reported; the next start enqueues it again). */
  enqueue(clip: ClipRecord, step: ClipStep): void;
  /** True once stop() was called. */
  stopping(): boolean;
  outputPath(clip: ClipRecord): string;
  destinationOf(clip: { creatorId: string; platform: string; destination: string | null }): { name: string; destination: ClipDestination };
  runRetention(): ClipRetentionReport;
  /** Posters made and failed since the engine was built (see ClipJobs.posterStats). */
  readonly posters: { made: number; failed: number };
}

export const unlocked = { lockedBy: null, lockedAt: null } as const;

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
