import type { ServiceRef } from '../service-ref.js';
import { createServiceRef } from '../service-ref.js';

/**
 * Duties exactly one process of a deployment performs — writing the
 * exports, say — however many processes run. A single process holds every
 * duty (the default); a scale-out plugin (such as @streamsuites/scale-redis)
 * replaces this service with leases, so when the holder dies another process
 * takes the duty over.
 */
export interface Leadership {
  /** Whether this process holds `duty` now. */
  holds(duty: string): boolean;
  /**
   * Calls `listener(true)` when this process gains `duty` and
   * `listener(false)` when it loses it — at once with the current state
   * when it already holds it. Returns a function that stops the calls.
   */
  watch(duty: string, listener: (holds: boolean) => void): () => void;
}

export const leadershipRef: ServiceRef<Leadership, 'root'> = createServiceRef<Leadership>({
  id: 'kernel.leadership',
  methods: ['holds', 'watch'],
  scope: 'root',
});
