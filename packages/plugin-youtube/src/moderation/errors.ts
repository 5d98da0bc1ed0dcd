import { defineError } from '@streamsuites/kernel';

/** Coded errors of chat moderation through the Data API (listed in the README "Errors" table). */

export const SS_ERR_YOUTUBE_MODERATION_NEEDS_OAUTH = defineError(
  'SS_ERR_YOUTUBE_MODERATION_NEEDS_OAUTH',
  (creatorId: string, action: string) => `creator "${creatorId}" cannot ${action} on YouTube with an API key only`,
  'Deleting messages and timeouts need OAuth (clientId, clientSecret, refreshToken; scope youtube.force-ssl) for an account that owns or moderates the channel.',
);
