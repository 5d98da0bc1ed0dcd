import type { ProviderOptions } from '../../plugin.js';
import { busRef, clockRef, secretsRef } from '../../refs.js';
import { MemoryJobStorage } from './memory-storage.js';
import { JobQueue, type JobQueueOptions } from './queue.js';

/**
 * The kernel's default job registry: the shared queue logic over memory.
 * Jobs are lost when the process exits; provide `jobRegistryRef` from
 * @streamsuites/store-sqlite for a durable queue.
 */
export class MemoryJobRegistry extends JobQueue {
  constructor(options: Omit<JobQueueOptions, 'storage'>) {
    super({ name: 'The in-memory job registry', ...options, storage: new MemoryJobStorage() });
  }
}

const deps = { bus: busRef, clock: clockRef, secrets: secretsRef };

/** Provider options of the default (see services/defaults.ts). */
export const memoryJobRegistryProvider: ProviderOptions<MemoryJobRegistry, typeof deps> = {
  deps,
  factory: ({ bus, clock, secrets }, ctx) =>
    new MemoryJobRegistry({ bus, clock, logger: ctx.logger, redact: (text) => secrets.redactString(text) }),
  dispose: (jobs) => jobs.close(),
};
