import { defineError } from '@streamsuites/kernel';

/* Coded errors of @streamsuites/scale-redis; every code is in the README "Errors" table. */

export const SS_ERR_SCALE_REDIS_NOT_INSTALLED = defineError(
  'SS_ERR_SCALE_REDIS_NOT_INSTALLED',
  (binary: string) => `the Redis server binary "${binary}" was not found`,
  'Install it (`sudo apt-get install redis-server`, which provides /usr/bin/redis-server) or run `npm test`, whose bootstrap installs it; or pass startLocalRedis({ binary }) with its path.',
);
export const SS_ERR_SCALE_REDIS_START_FAILED = defineError(
  'SS_ERR_SCALE_REDIS_START_FAILED',
  (reason: string) => `the local Redis server did not start: ${reason}`,
  'Read the server output in details.output; a slow machine may need startLocalRedis({ timeoutMs }) raised.',
);
export const SS_ERR_SCALE_LEASE_INVALID = defineError(
  'SS_ERR_SCALE_LEASE_INVALID',
  (what: string, problem: string) => `invalid lease ${what}: ${problem}`,
  'Creator ids and owners are non-empty strings; ttlMs is an integer of at least 30 ms (seconds in production).',
);
export const SS_ERR_SCALE_REDIS_UNAVAILABLE = defineError(
  'SS_ERR_SCALE_REDIS_UNAVAILABLE',
  (operation: string, reason: string) => `Redis failed during ${operation}: ${reason}`,
  'Check that Redis is running and reachable at the URL the process was given (error.cause has the client error). The call was refused; a quota charge whose reply was lost may have been counted (never more than asked), so nothing is overspent.',
);
export const SS_ERR_SCALE_JOBS_INVALID = defineError(
  'SS_ERR_SCALE_JOBS_INVALID',
  (what: string, problem: string) => `invalid Redis job registry option ${what}: ${problem}`,
  'Pass createRedisJobRegistry an ioredis client without keyPrefix (use the prefix option, without braces), a non-empty owner of at most 256 characters, leaseMs an integer of at least 100 and concurrencyScope "cluster" or "process".',
);
