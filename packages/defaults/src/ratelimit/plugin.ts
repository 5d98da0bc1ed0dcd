import { busRef, clockRef, definePlugin, rateLimitGovernorRef } from '@streamsuites/kernel';
import { DEFAULTS_VERSION, KERNEL_RANGE } from '../version.js';
import { createRateLimitGovernor } from './governor.js';

/** The rate-limit governor: a sliding-window log per key, on the kernel clock. */
export const rateLimitsPlugin = definePlugin({
  id: 'rate-limits',
  version: DEFAULTS_VERSION,
  kernel: KERNEL_RANGE,
  description: 'Sliding-window rate-limit governor (default)',
  register(reg) {
    reg.provide(rateLimitGovernorRef, {
      deps: { clock: clockRef, bus: busRef },
      factory: (deps) => createRateLimitGovernor(deps),
      // Senders still waiting at shutdown are rejected (SS_ERR_RATE_LIMIT_DISPOSED) instead of hanging.
      dispose: (governor) => governor.dispose(),
    });
  },
});
