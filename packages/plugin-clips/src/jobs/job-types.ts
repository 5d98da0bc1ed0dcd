import type { BackoffPolicy } from '@streamsuites/kernel';
import type { ClipStep } from './options.js';

/** The job types of the two clip steps on the kernel's JobRegistry. */
export const CLIP_ENCODE_JOB = 'clips.encode';
export const CLIP_UPLOAD_JOB = 'clips.upload';

/** A step job names its clip only: the clip row holds the request, state and attempts (no user data in job payloads). */
export interface ClipJobPayload {
  clipId: string;
}

declare module '@streamsuites/kernel' {
  interface StreamSuitesJobs {
    'clips.encode': ClipJobPayload;
    'clips.upload': ClipJobPayload;
  }
}

export const jobTypeOf = (step: ClipStep): typeof CLIP_ENCODE_JOB | typeof CLIP_UPLOAD_JOB =>
  step === 'encode' ? CLIP_ENCODE_JOB : CLIP_UPLOAD_JOB;

/** The limits the step handlers are registered with (from ClipJobsOptions). */
export interface ClipLimits {
  concurrency: number;
  perCreator: number;
  maxEncode: number;
  maxUpload: number;
  backoff: Required<Omit<BackoffPolicy, 'jitter'>>;
  encodeTimeoutMs: number;
  uploadTimeoutMs: number;
}
