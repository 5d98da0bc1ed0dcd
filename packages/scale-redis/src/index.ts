export { CreatorLeases, LeaseKeeper, fairShare } from './leases.js';
export type { CreatorLeasesOptions, LeaseHolder, LeaseKeeperEvents, LeaseKeeperOptions, LeaseKeeperTimers } from './leases.js';
export * from './errors.js';
