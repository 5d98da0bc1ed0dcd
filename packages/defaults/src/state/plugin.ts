import { definePlugin, stateStoreRef } from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { MemoryStateStore } from './memory-store.js';

/**
 * The state store in memory: gone when the process exits. Declare
 * @streamsuites/store-sqlite for state that survives restarts (its
 * `stateStoreRef` replaces this one).
 */
export const memoryStatePlugin = definePlugin({
  id: 'memory-state',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'In-memory state store (default)',
  register(reg) {
    reg.provide(stateStoreRef, { factory: () => new MemoryStateStore() });
  },
});
