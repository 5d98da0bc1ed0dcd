import { defineError } from '@streamsuites/kernel';

/*
 * Quota error codes. Kept beside the quota service until they are merged into
 * src/errors.ts (whose test ties every code to the README "Errors" table).
 */

export const SS_ERR_QUOTA_EXHAUSTED = defineError(
  'SS_ERR_QUOTA_EXHAUSTED',
  (creatorId: string, platform: string, used: number, daily: number, resetsAt: number) =>
    `Daily ${platform} quota of creator "${creatorId}" is exhausted (${used}/${daily} units used); it resets at ${new Date(resetsAt).toISOString()}`,
  (creatorId: string, platform: string) =>
    `Wait for the reset, or raise creators.${creatorId}.quotas.${platform}.daily if the platform granted you more units.`,
);

export const SS_ERR_QUOTA_BUFFER_RESERVED = defineError(
  'SS_ERR_QUOTA_BUFFER_RESERVED',
  (creatorId: string, platform: string, used: number, daily: number, buffer: number) =>
    `Non-essential ${platform} call of creator "${creatorId}" refused: only the reserved buffer is left (${used}/${daily} units used, buffer ${buffer})`,
  (creatorId: string, platform: string) =>
    `Only essential calls may spend the buffer ({ essential: true }); lower creators.${creatorId}.quotas.${platform}.buffer to leave more for the rest.`,
);

export const SS_ERR_QUOTA_POLICY_INVALID = defineError(
  'SS_ERR_QUOTA_POLICY_INVALID',
  (path: string, problems: string) => `${path}: invalid quota policy: ${problems}`,
  'A quota policy is { "daily": <integer ≥ 1>, "buffer": <integer, 0 ≤ buffer < daily>, "timeZone": "<IANA zone, e.g. America/Los_Angeles>" }.',
);

export const SS_ERR_QUOTA_POLICY_MISSING = defineError(
  'SS_ERR_QUOTA_POLICY_MISSING',
  (creatorId: string, platform: string) => `No quota policy for creator "${creatorId}" on platform "${platform}"`,
  (creatorId: string, platform: string) =>
    `Set creators.${creatorId}.quotas.${platform} = { "daily": <units> } in the manifest, or pass a policy to tracker().`,
);

export const SS_ERR_QUOTA_UNITS_INVALID = defineError(
  'SS_ERR_QUOTA_UNITS_INVALID',
  (creatorId: string, platform: string, units: unknown) =>
    `Quota charge for creator "${creatorId}" on "${platform}" must be a non-negative integer number of units (got ${String(units)})`,
  'Charge whole units as the platform prices each call (e.g. 5 for a 5-unit call).',
);

export const SS_ERR_QUOTA_STORE_FAILED = defineError(
  'SS_ERR_QUOTA_STORE_FAILED',
  (creatorId: string, platform: string, operation: 'load' | 'save') =>
    `Could not ${operation} the ${platform} quota usage of creator "${creatorId}" in the state store; the charge was refused`,
  'Check the state store (see error.cause). Units of a failed save stay counted in memory, so nothing is overspent.',
);
