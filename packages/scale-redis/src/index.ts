export { CreatorLeases, LeaseKeeper, fairShare } from './leases.js';
export type { CreatorLeasesOptions, LeaseHolder, LeaseKeeperEvents, LeaseKeeperOptions, LeaseKeeperTimers } from './leases.js';
export { RedisJobRegistry, createRedisJobRegistry } from './jobs/registry.js';
export type { RedisJobRegistryOptions } from './jobs/registry.js';
export * from './errors.js';
