import { defineError } from '@streamsuites/kernel';

/*
 * Rate-limit error codes. Kept beside the governor until they are merged into
 * src/errors.ts (whose test ties every code to the README "Errors" table).
 */

export const SS_ERR_RATE_LIMIT_UNKNOWN_KEY = defineError(
  'SS_ERR_RATE_LIMIT_UNKNOWN_KEY',
  (key: string) => `No rate limit is configured for key "${key}"`,
  'Call governor.configure(key, policy) first, e.g. { capacity: 20, windowMs: 30_000 } (platform plugins export their published limits).',
);

export const SS_ERR_RATE_LIMIT_POLICY_INVALID = defineError(
  'SS_ERR_RATE_LIMIT_POLICY_INVALID',
  (key: string, problems: string) => `Invalid rate-limit policy for key "${key}": ${problems}`,
  'A policy is { capacity: <integer ≥ 1>, windowMs: <integer ≥ 1> }; see the exported presets.',
);

export const SS_ERR_RATE_LIMIT_COST_INVALID = defineError(
  'SS_ERR_RATE_LIMIT_COST_INVALID',
  (key: string, cost: unknown, capacity: number) =>
    `Rate-limit cost for key "${key}" must be an integer from 1 to the capacity ${capacity} (got ${String(cost)})`,
  'A cost above the capacity could never be granted; split the work or raise the capacity.',
);

export const SS_ERR_RATE_LIMIT_DISPOSED = defineError(
  'SS_ERR_RATE_LIMIT_DISPOSED',
  (key: string) => `The rate-limit governor was disposed (key "${key}")`,
  'The kernel is stopping; do not send anything more.',
);
