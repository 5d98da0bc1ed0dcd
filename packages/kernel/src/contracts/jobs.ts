import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRecord<P = unknown> {
  id: string;
  type: string;
  creatorId: string;
  state: JobState;
  payload: P;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  error?: string;
}

export interface JobHandler<P = unknown> {
  type: string;
  /** Jobs of this type running at once, process-wide. */
  concurrency?: number;
  maxAttempts?: number;
  run(job: JobRecord<P>, signal: AbortSignal): Promise<void>;
}

export interface JobRegistry {
  register<P>(handler: JobHandler<P>): void;
  enqueue<P>(type: string, creatorId: string, payload: P): Promise<JobRecord<P>>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter?: { type?: string; creatorId?: string; state?: JobState }): Promise<JobRecord[]>;
  cancel(id: string): Promise<boolean>;
}

export const jobRegistryRef: ServiceRef<JobRegistry, 'root'> = createServiceRef<JobRegistry>({
  id: 'kernel.jobs',
  scope: 'root',
});
