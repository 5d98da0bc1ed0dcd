import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/** A token bucket: `capacity` tokens refilled over `windowMs`. */
export interface RateLimitPolicy {
  capacity: number;
  windowMs: number;
}

export interface RateLimitGovernor {
  /** Sets or replaces the policy of a key (`twitch:send:daniel`, `twitch:join`...). */
  configure(key: string, policy: RateLimitPolicy): void;
  /** Takes tokens now if available. */
  tryTake(key: string, cost?: number): boolean;
  /** Waits until tokens are available (or the signal aborts). */
  take(key: string, options?: { cost?: number; signal?: AbortSignal }): Promise<void>;
  /** Policies and current fill, for exports. */
  snapshot(): { key: string; policy: RateLimitPolicy; available: number }[];
}

export const rateLimitGovernorRef: ServiceRef<RateLimitGovernor, 'root'> = createServiceRef<RateLimitGovernor>({
  id: 'kernel.ratelimits',
  scope: 'root',
});
