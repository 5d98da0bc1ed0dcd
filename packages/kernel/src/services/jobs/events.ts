import type { JobState } from '../../contracts/jobs.js';

/** Payload of `job.state`: one job changed state. Carries no payload (it may hold user data); `get(jobId)` has it. */
export interface JobStateEvent {
  jobId: string;
  type: string;
  creatorId?: string;
  state: JobState;
  /** The state before; absent when the job was just enqueued. */
  previous?: JobState;
  attempts: number;
  maxAttempts: number;
  /** When a queued job may start next. */
  runAt: number;
  /** Latest failure, redacted (see JobRecord.error). */
  error?: string;
  errorCode?: string;
  at: number;
}

