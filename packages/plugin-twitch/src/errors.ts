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
export const SS_ERR_TWITCH_CONFIG = defineError(
  'SS_ERR_TWITCH_CONFIG',
  (creatorId: string, problem: string) => `Twitch config of creator "${creatorId}": ${problem}`,
  'Fix creators.<id>.config.twitch (see the README "Config" table); other creators keep running.',
);
export const SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE = defineError(
  'SS_ERR_TWITCH_EVENTSUB_SUBSCRIBE',
  (type: string, status: number, reason: string) => `Twitch refused the EventSub subscription ${type}: HTTP ${status} ${reason}`,
  (_type: string, status: number) =>
    status === 403
      ? 'The token lacks the scope this subscription needs (see the README "Scopes" table): authorize again with `streamsuites auth twitch`.'
      : status === 429
        ? 'The subscription limit is reached (max_total_cost): subscribe to fewer event types, or fewer channels per token.'
        : 'Check the channel and bot ids; other subscriptions go on.',
);
export const SS_ERR_TWITCH_EVENTSUB_REVOKED = defineError(
  'SS_ERR_TWITCH_EVENTSUB_REVOKED',
  (type: string, status: string) => `Twitch revoked the EventSub subscription ${type} (${status})`,
  'authorization_revoked: the user took the app\'s access back (authorize again); user_removed: the channel is gone; version_removed: update the plugin. Other subscriptions go on.',
);
export const SS_ERR_TWITCH_SCOPE_MISSING = defineError(
  'SS_ERR_TWITCH_SCOPE_MISSING',
  (creatorId: string, feature: string, scope: string) => `the Twitch token of creator "${creatorId}" lacks ${scope}, which ${feature} needs`,
  'Authorize again with the scope (`streamsuites auth twitch` asks for what the manifest uses); the features it does not need go on.',
);
export { SS_ERR_TWITCH_DEVICE_AUTH, SS_ERR_TWITCH_RATE_LIMITED, SS_ERR_TWITCH_REDEMPTION_FORBIDDEN } from './helix/errors.js';
export { SS_ERR_TWITCH_MODERATION_FAILED } from './moderation/errors.js';
