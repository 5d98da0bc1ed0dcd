import { definePlugin, leadershipRef, type Leadership } from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';

/** One process, so it holds every duty, always. */
export const soleLeadership: Leadership = {
  holds: () => true,
  watch(_duty, listener) {
    listener(true);
    return () => {};
  },
};

/** Leadership of a single process: every duty is this process's (a scale-out plugin replaces it). */
export const leadershipPlugin = definePlugin({
  id: 'leadership',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Single-process leadership: this process holds every duty (default)',
  register(reg) {
    reg.provide(leadershipRef, { factory: () => soleLeadership });
  },
});
