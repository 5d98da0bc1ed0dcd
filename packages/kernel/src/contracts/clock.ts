/**
 * The kernel clock. Every time-dependent service reads time through it, so
 * replays and tests can run on virtual time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
