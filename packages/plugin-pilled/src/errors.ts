import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-pilled; every code is in the README
 * "Errors" table. The platform-neutral SS_ERR_PLATFORM_UNSUPPORTED (no way to
 * reach Pilled at all) is the kernel's.
 */

export const SS_ERR_PILLED_CONFIG = defineError(
  'SS_ERR_PILLED_CONFIG',
  (creatorId: string, problem: string) => `Pilled config of creator "${creatorId}": ${problem}`,
  'Set creators.<id>.config.pilled.channel to the channel name as it appears in the pilled.net address (https://pilled.net/<channel>).',
);
export const SS_ERR_PILLED_TRANSPORT_AMBIGUOUS = defineError(
  'SS_ERR_PILLED_TRANSPORT_AMBIGUOUS',
  (names: string) => `more than one Pilled transport was supplied (${names}); the pilled plugin uses exactly one`,
  'Contribute one transport to pilledTransportsExtensionPoint (or pass one to createPilledPlugin({ transport })), not several.',
);
export const SS_ERR_PILLED_TRANSPORT = defineError(
  'SS_ERR_PILLED_TRANSPORT',
  (creatorId: string, transport: string, problem: string) => `Pilled transport "${transport}" of creator "${creatorId}": ${problem}`,
  'A fault of the host-supplied transport (see its own logs). The creator\'s Pilled chat is not read until the plugin restarts; its other plugins keep running.',
);
export const SS_ERR_PILLED_ITEM_INVALID = defineError(
  'SS_ERR_PILLED_ITEM_INVALID',
  (problem: string) => `A Pilled transport item was not a valid chat or live item and was skipped: ${problem}`,
  'A bug in the host-supplied transport: each item must match PilledItem (see the README "Transport" section). Reading goes on.',
);
export const SS_ERR_PILLED_SEND_UNAVAILABLE = defineError(
  'SS_ERR_PILLED_SEND_UNAVAILABLE',
  (creatorId: string, reason: string) => `cannot send Pilled chat for creator "${creatorId}": ${reason}`,
  'Sending needs a transport whose connection has send(); without one, Pilled is read-only (or, with no transport at all, unsupported).',
);
