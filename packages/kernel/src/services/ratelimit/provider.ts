import { rateLimitGovernorRef } from '../../contracts/ratelimit.js';
import { kernelProvider } from '../../registration.js';
import { clockRef } from '../../refs.js';
import { createRateLimitGovernor } from './governor.js';

/** The kernel's default RateLimitGovernor (sliding-window log per key, kernel clock). */
export const rateLimitGovernorProvider = kernelProvider(rateLimitGovernorRef, {
  deps: { clock: clockRef },
  factory: (deps) => createRateLimitGovernor(deps),
  // Senders still waiting at shutdown are rejected (SS_ERR_RATE_LIMIT_DISPOSED) instead of hanging.
  dispose: (governor) => governor.dispose(),
});
