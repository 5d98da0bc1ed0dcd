import { busRef, clockRef, definePlugin, jobRegistryRef, secretsRef } from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { MemoryJobRegistry } from './memory-registry.js';

/**
 * The job queue in memory: jobs are lost when the process exits. Declare
 * @streamsuites/store-sqlite for a durable queue (its `jobRegistryRef`
 * replaces this one; the queue logic is the same JobQueue).
 */
export const memoryJobsPlugin = definePlugin({
  id: 'memory-jobs',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'In-memory job queue (default)',
  register(reg) {
    reg.provide(jobRegistryRef, {
      deps: { bus: busRef, clock: clockRef, secrets: secretsRef },
      factory: ({ bus, clock, secrets }, ctx) =>
        new MemoryJobRegistry({ bus, clock, logger: ctx.logger, redact: (text) => secrets.redactString(text) }),
      dispose: (jobs) => jobs.close(),
    });
  },
});
