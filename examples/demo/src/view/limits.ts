import type { QuotaSnapshot, RateLimitSnapshot } from '@streamsuites/kernel';
import type { Limits } from './state.js';

/**
 * What the limits panel shows: quota bars when any quota is configured (the
 * kernel QuotaRegistry has trackers), otherwise the rate-limit governor's keys.
 */
export function limitsFrom(quotas: readonly QuotaSnapshot[], rateLimits: readonly RateLimitSnapshot[]): Limits {
  if (quotas.length > 0) {
    return {
      source: 'quotas',
      bars: quotas.map((q) => ({
        label: `${q.creatorId} ${q.platform}`,
        used: q.used,
        capacity: q.daily,
        reserved: q.buffer,
        note: q.status === 'ok' ? `day ${q.day} ${q.timeZone}` : `${q.status} until the ${q.timeZone} midnight`,
      })),
    };
  }
  if (rateLimits.length > 0) {
    return {
      source: 'rate-limits',
      bars: rateLimits.map((r) => ({
        label: r.key,
        used: r.used,
        capacity: r.policy.capacity,
        note: `per ${formatWindow(r.policy.windowMs)}${r.waiting > 0 ? `, ${r.waiting} waiting` : ''}`,
      })),
    };
  }
  return { source: 'none', bars: [] };
}

function formatWindow(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
