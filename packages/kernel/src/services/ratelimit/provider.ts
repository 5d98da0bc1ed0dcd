import { rateLimitGovernorRef } from '../../contracts/ratelimit.js';
import type { DepsMap, ProviderOptions } from '../../plugin.js';
import type { Provider } from '../../registration.js';
import { clockRef } from '../../refs.js';
import type { ServiceRef } from '../../service-ref.js';
import { createRateLimitGovernor, type SlidingWindowGovernor } from './governor.js';

const deps = { clock: clockRef };

const options: ProviderOptions<SlidingWindowGovernor, typeof deps> = {
  deps,
  factory: (resolved) => createRateLimitGovernor(resolved),
  // Senders still waiting at shutdown are rejected (SS_ERR_RATE_LIMIT_DISPOSED) instead of hanging.
  dispose: (governor) => governor.dispose(),
};

/** The kernel's default RateLimitGovernor (sliding-window log per key, kernel clock). */
export const rateLimitGovernorProvider: Provider = {
  pluginId: 'kernel',
  ref: rateLimitGovernorRef as ServiceRef<unknown>,
  options: options as unknown as ProviderOptions<unknown, DepsMap>,
};
