import { defineError } from '@streamsuites/kernel';

/**
 * Coded errors of @streamsuites/plugin-twitch (STYLE item 5). Every code is
 * listed in the README "Errors" table.
 */

export const SS_ERR_TWITCH_AUTH = defineError(
  'SS_ERR_TWITCH_AUTH',
  (creatorId: string, serverText: string) => `Twitch rejected the login of creator "${creatorId}": ${serverText}`,
  'Generate a new OAuth token with the chat:read and chat:edit scopes (or set refresh credentials) and put it in the manifest.',
);
export const SS_ERR_TWITCH_NOT_CONNECTED = defineError(
  'SS_ERR_TWITCH_NOT_CONNECTED',
  (creatorId: string) => `Twitch chat of creator "${creatorId}" is not connected`,
  'The reply was not sent; the connection is reconnecting or the creator has no Twitch plugin running.',
);
export const SS_ERR_TWITCH_SEND_DROPPED = defineError(
  'SS_ERR_TWITCH_SEND_DROPPED',
  (channel: string, limit: number) => `Reply to #${channel} dropped: more than ${limit} replies were waiting for the rate limit`,
  'Raise sendQueueLimit, or make triggers reply less often (cooldowns).',
);
export const SS_ERR_TWITCH_HELIX_FAILED = defineError(
  'SS_ERR_TWITCH_HELIX_FAILED',
  (what: string) => `Twitch API: ${what}`,
);
export const SS_ERR_TWITCH_NORMALIZE_FAILED = defineError(
  'SS_ERR_TWITCH_NORMALIZE_FAILED',
  (command: string, reason: string) => `A Twitch ${command} line could not be normalized and was skipped: ${reason}`,
  'A bug in the Twitch normalizer: report it with the redacted sample from the platform.normalize-failed event. The connection goes on.',
);
