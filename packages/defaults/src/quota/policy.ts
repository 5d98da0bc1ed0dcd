import type { QuotaPolicy, QuotaPolicyInput } from '@streamsuites/kernel';
import { canonicalTimeZone } from './day.js';
import { SS_ERR_QUOTA_POLICY_INVALID } from './errors.js';

/** Time zone of a policy that names none. */
export const DEFAULT_QUOTA_TIME_ZONE = 'UTC';

export interface QuotaPolicyProblem {
  /** The offending field (`daily`, `buffer`, `timeZone`, or an unknown key); `''` for the policy itself. */
  field: string;
  message: string;
}

const KNOWN_KEYS = new Set(['daily', 'buffer', 'timeZone']);

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** Every problem of a policy, by field. Empty when it is valid. */
export function quotaPolicyProblems(policy: unknown): QuotaPolicyProblem[] {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    return [{ field: '', message: 'must be an object { daily, buffer?, timeZone? }' }];
  }
  const p = policy as Record<string, unknown>;
  const problems: QuotaPolicyProblem[] = [];
  for (const key of Object.keys(p)) {
    if (!KNOWN_KEYS.has(key)) problems.push({ field: key, message: `unknown key "${key}"` });
  }
  const dailyOk = isInteger(p.daily) && p.daily >= 1;
  if (!dailyOk) problems.push({ field: 'daily', message: `must be an integer ≥ 1 (got ${JSON.stringify(p.daily) ?? 'nothing'})` });
  if (p.buffer !== undefined) {
    if (!isInteger(p.buffer) || p.buffer < 0) {
      problems.push({ field: 'buffer', message: `must be an integer ≥ 0 (got ${JSON.stringify(p.buffer)})` });
    } else if (dailyOk && p.buffer >= (p.daily as number)) {
      problems.push({ field: 'buffer', message: `must be less than daily (${String(p.daily)}), got ${p.buffer}` });
    }
  }
  if (p.timeZone !== undefined) {
    if (typeof p.timeZone !== 'string' || p.timeZone === '') {
      problems.push({ field: 'timeZone', message: `must be an IANA time zone name (got ${JSON.stringify(p.timeZone)})` });
    } else if (canonicalTimeZone(p.timeZone) === undefined) {
      problems.push({ field: 'timeZone', message: `unknown time zone "${p.timeZone}" (use an IANA name such as America/Los_Angeles)` });
    }
  }
  return problems;
}

/**
 * Problems of a quota policy as `"<field>: <problem>"` strings (empty when
 * valid), for the manifest loader: it adds one issue per string under
 * `/creators/<id>/quotas/<platform>`.
 */
export function validateQuotaPolicy(policy: unknown): string[] {
  return quotaPolicyProblems(policy).map((p) => (p.field === '' ? p.message : `${p.field}: ${p.message}`));
}

/** Validates and applies defaults; throws SS_ERR_QUOTA_POLICY_INVALID naming `path` (`creators.<id>.quotas.<platform>`). */
export function resolveQuotaPolicy(policy: QuotaPolicyInput, path: string, fallback?: Partial<QuotaPolicy>): QuotaPolicy {
  const problems = quotaPolicyProblems(policy);
  if (problems.length > 0) {
    throw new SS_ERR_QUOTA_POLICY_INVALID(path, validateQuotaPolicy(policy).join('; '), {
      details: { path, problems: problems.map((p) => ({ path: p.field === '' ? path : `${path}.${p.field}`, message: p.message })) },
    });
  }
  const timeZone = policy.timeZone ?? fallback?.timeZone ?? DEFAULT_QUOTA_TIME_ZONE;
  return {
    daily: policy.daily,
    buffer: policy.buffer ?? 0,
    timeZone: canonicalTimeZone(timeZone) ?? timeZone,
  };
}
