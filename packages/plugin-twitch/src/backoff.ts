export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay randomised, 0..1. */
  jitter: number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential, capped,
 * with jitter so many bots dropped by one outage do not reconnect in step.
 * `random` is injectable for deterministic tests.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}
