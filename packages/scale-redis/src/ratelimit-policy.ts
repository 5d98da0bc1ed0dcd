import type { RateLimitPolicy } from '@streamsuites/kernel';
import { SS_ERR_RATE_LIMIT_POLICY_INVALID } from '@streamsuites/defaults';

/** Throws SS_ERR_RATE_LIMIT_POLICY_INVALID (same problems, same wording as the default governor). */
export function checkRateLimitPolicy(key: string, policy: RateLimitPolicy): void {
  const problems: string[] = [];
  const positiveInteger = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
  if (typeof policy !== 'object' || policy === null) problems.push('must be an object { capacity, windowMs }');
  else {
    if (!positiveInteger(policy.capacity)) problems.push(`capacity must be an integer ≥ 1 (got ${String(policy.capacity)})`);
    if (!positiveInteger(policy.windowMs)) problems.push(`windowMs must be an integer ≥ 1 (got ${String(policy.windowMs)})`);
  }
  if (problems.length > 0) {
    throw new SS_ERR_RATE_LIMIT_POLICY_INVALID(key, problems.join('; '), { details: { key, problems } });
  }
}
