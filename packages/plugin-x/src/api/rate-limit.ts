/** What X's rate limit headers say about the endpoint's current window. */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** When the window resets, ms since the epoch (`x-rate-limit-reset` is epoch seconds). */
  resetAt?: number;
  /** `retry-after` of a 429, in ms. */
  retryAfterMs?: number;
}

const int = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** Reads `x-rate-limit-limit`, `x-rate-limit-remaining`, `x-rate-limit-reset` and `retry-after`. */
export function readRateLimit(headers: Headers): RateLimitInfo {
  const info: RateLimitInfo = {};
  const limit = int(headers.get('x-rate-limit-limit'));
  const remaining = int(headers.get('x-rate-limit-remaining'));
  const reset = int(headers.get('x-rate-limit-reset'));
  const retryAfter = int(headers.get('retry-after'));
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.resetAt = reset * 1000;
  if (retryAfter !== undefined) info.retryAfterMs = retryAfter * 1000;
  return info;
}

/**
 * How long to wait before the next request: after a 429, `retry-after`
 * else until the reset (else `fallbackMs`); after a success that used the
 * window up (remaining 0), until the reset; otherwise 0.
 */
export function waitMsFor(info: RateLimitInfo, now: number, limited: boolean, fallbackMs = 60_000): number {
  if (limited) {
    if (info.retryAfterMs !== undefined) return info.retryAfterMs;
    if (info.resetAt !== undefined) return Math.max(0, info.resetAt - now);
    return fallbackMs;
  }
  if (info.remaining === 0 && info.resetAt !== undefined) return Math.max(0, info.resetAt - now);
  return 0;
}
