/** How long the chat session waits after a failure, and which failures it does not retry. */
import { backoffDelay } from '@streamsuites/kernel';
import { failureOf, type ApiFailure } from './api/errors.js';

/** Reasons that retrying cannot fix: the creator's YouTube chat stops with platform.auth-failed. */
const PERMANENT_AUTH = new Set(['invalid_grant', 'keyInvalid', 'unauthorized_client', 'invalid_client']);
const BACKOFF_MIN_MS = 2_000;
const BACKOFF_MAX_MS = 300_000;
/**
 * A stream the server ends sooner than this after it opened counts as a
 * quick end. YouTube ends every streamList response after about 10 s by
 * design ("closes from the server side after about 10 seconds, with a
 * 30-second RPC deadline"), so that is an ordinary end, not a quick one:
 * with 30 s here every stream backed off, up to 5 minutes between reads.
 */
export const QUICK_STREAM_END_MS = 5_000;

/** The API failure `error` is; anything unrecognised (a network error, a bug) is transient. */
export function failureFrom(error: unknown): ApiFailure {
  return failureOf(error) ?? { kind: 'transient', status: 0, reason: (error as Error)?.message ?? 'unknown' };
}

export const isPermanentAuth = (failure: ApiFailure): boolean => PERMANENT_AUTH.has(failure.reason);

/** Until just after the daily quota reset, and at least a minute. */
export const untilQuotaResetMs = (resetsAt: number, now: number): number => Math.max(60_000, resetsAt - now + 1000);

/** Exponential from a base by kind (rate limits 10 s, auth and invalid requests 60 s, else 2 s), capped at 5 minutes. */
export function retryDelayMs(failure: ApiFailure, failuresInARow: number): number {
  const base = failure.kind === 'rate' ? 10_000 : failure.kind === 'auth' || failure.kind === 'invalid' ? 60_000 : BACKOFF_MIN_MS;
  return backoffDelay({ initialMs: base, maxMs: BACKOFF_MAX_MS }, failuresInARow);
}

/** Before opening a stream again: 1 s, or exponential while the server keeps ending streams quickly. */
export function streamReopenBackoffMs(quickStreamEnds: number): number {
  return quickStreamEnds === 0 ? 1000 : backoffDelay({ initialMs: BACKOFF_MIN_MS, maxMs: BACKOFF_MAX_MS }, quickStreamEnds);
}
