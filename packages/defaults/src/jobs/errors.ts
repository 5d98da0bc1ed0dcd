import { defineError } from '@streamsuites/kernel';

/*
 * Job registry error codes. Kept beside the queue until they are merged into
 * src/errors.ts (whose test ties every code to the README "Errors" table).
 * TIMEOUT, CANCELLED and INTERRUPTED are also the `reason` of a handler's
 * aborted signal and the `errorCode` of the job record.
 */

export const SS_ERR_JOB_INVALID = defineError(
  'SS_ERR_JOB_INVALID',
  (what: string, problem: string) => `Invalid ${what}: ${problem}`,
  'Job types look like "plugin.name"; counts, attempts and times are positive integers.',
);
export const SS_ERR_JOB_HANDLER_DUPLICATE = defineError(
  'SS_ERR_JOB_HANDLER_DUPLICATE',
  (type: string) => `A handler for job type "${type}" is already registered`,
  'Register each job type once (call the function register() returned to replace a handler).',
);
export const SS_ERR_JOB_TIMEOUT = defineError(
  'SS_ERR_JOB_TIMEOUT',
  (jobId: string, type: string, ms: number) => `Job ${jobId} (${type}) did not finish within ${ms} ms`,
  'Raise the handler\'s timeoutMs if the work legitimately takes longer; handlers must stop when their signal aborts.',
);
export const SS_ERR_JOB_CANCELLED = defineError(
  'SS_ERR_JOB_CANCELLED',
  (jobId: string, type: string) => `Job ${jobId} (${type}) was cancelled`,
);
export const SS_ERR_JOB_INTERRUPTED = defineError(
  'SS_ERR_JOB_INTERRUPTED',
  (jobId: string, type: string, why: string) => `Job ${jobId} (${type}) was interrupted: ${why}`,
  'Interrupted jobs are queued again while they have attempts left; handlers must be idempotent.',
);
