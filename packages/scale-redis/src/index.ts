export { CreatorLeases, LeaseKeeper, fairShare } from './leases.js';
export type { CreatorLeasesOptions, LeaseHolder, LeaseKeeperEvents, LeaseKeeperOptions, LeaseKeeperTimers } from './leases.js';
export { RedisJobRegistry, createRedisJobRegistry } from './jobs/registry.js';
export type { RedisJobRegistryOptions } from './jobs/registry.js';
export { QUOTA_KEY_GRACE_MS, RedisQuotaRegistry, RedisQuotaTracker, createRedisQuotaRegistry, quotaUsageKey } from './quotas.js';
export type { RedisQuotaRegistryOptions } from './quotas.js';
export { RedisRateLimitGovernor, createRedisRateLimitGovernor } from './ratelimits.js';
export type { RedisRateLimitGovernorOptions } from './ratelimits.js';
export * from './errors.js';
