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
