import { MemoryJobStorage } from './memory-storage.js';
import { JobQueue, type JobQueueOptions } from './queue.js';

/**
 * The default job registry: the shared queue logic over memory.
 * Jobs are lost when the process exits; provide `jobRegistryRef` from
 * @streamsuites/store-sqlite for a durable queue.
 */
export class MemoryJobRegistry extends JobQueue {
  constructor(options: Omit<JobQueueOptions, 'storage'>) {
    super({ name: 'The in-memory job registry', ...options, storage: new MemoryJobStorage() });
  }
}
