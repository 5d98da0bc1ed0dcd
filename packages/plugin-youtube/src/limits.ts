import type { QuotaPolicy, RateLimitPolicy } from '@streamsuites/kernel';

/**
 * The YouTube Data API quota of a new Google Cloud project: "a default quota
 * allocation of ... 10,000 units per day", "Daily quotas reset at midnight
 * Pacific Time (PT)" (https://developers.google.com/youtube/v3/determine_quota_cost).
 * The 500-unit buffer keeps room for essential calls (ending a poll, posting a
 * moderation reply) after chat polling used its share. Contributed to the
 * kernel's quota registry as the `youtube` platform default; a creator's
 * `quotas.youtube` in the manifest overrides it field by field.
 */
export const YOUTUBE_QUOTA_DEFAULT: Readonly<QuotaPolicy> = Object.freeze({ daily: 10_000, buffer: 500, timeZone: 'America/Los_Angeles' });

/**
 * YouTube live chat polling: one `liveChatMessages.list` per
 * `pollingIntervalMillis`, the interval the previous response asked for
 * (https://developers.google.com/youtube/v3/live/docs/liveChatMessages/list).
 * YouTube publishes no per-second send limit for `liveChatMessages.insert`,
 * so its budget is the daily quota, not a rate here. Re-configure the key with
 * each response's interval; `minIntervalMs` (default 2000) keeps a low server
 * hint from burning the day's units.
 */
export function youtubeChatPoll(pollingIntervalMillis: number, options: { minIntervalMs?: number } = {}): RateLimitPolicy {
  const min = options.minIntervalMs ?? 2_000;
  const interval = Number.isFinite(pollingIntervalMillis) ? Math.ceil(pollingIntervalMillis) : min;
  return { capacity: 1, windowMs: Math.max(min, interval) };
}
