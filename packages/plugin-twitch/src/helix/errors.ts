import { defineError, StreamSuitesError } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_SEND_DROPPED } from '../errors.js';

/**
 * Coded errors of the Helix calls (sending chat, redemptions, token
 * validation, the device code flow). Kept apart from ../errors.ts while
 * that file belongs to the IRC side; every code is listed in the README
 * "Errors" table (test/helix-errors.test.ts).
 */

export const SS_ERR_TWITCH_RATE_LIMITED = defineError(
  'SS_ERR_TWITCH_RATE_LIMITED',
  (what: string, retryAt: string) => `Twitch API rate limit reached (${what}); the bucket refills at ${retryAt}`,
  'Send less often, or raise the wait budget (maxRateLimitWaitMs); the request was not sent.',
);
export const SS_ERR_TWITCH_REDEMPTION_FORBIDDEN = defineError(
  'SS_ERR_TWITCH_REDEMPTION_FORBIDDEN',
  (rewardId: string, serverText: string) => `Twitch refused to update a redemption of reward ${rewardId}: ${serverText}`,
  'Twitch lets an app update only redemptions of rewards that app created (same Client-Id), on a partner or affiliate channel: create the reward with this client id.',
);
export const SS_ERR_TWITCH_DEVICE_AUTH = defineError(
  'SS_ERR_TWITCH_DEVICE_AUTH',
  (reason: string, problem: string) => `Twitch device authorization failed (${reason}): ${problem}`,
  (reason: string) =>
    reason === 'expired_token'
      ? 'The code expired before it was entered: run the command again and enter the new code sooner.'
      : reason === 'access_denied'
        ? 'The account declined the authorization: run the command again and choose "Authorize".'
        : 'Check the client id (a "Public" client type in the Twitch developer console) and the scopes.',
);

/**
 * Drop reasons worth trying again later: the condition lasts seconds
 * (rate limit, slow mode). Every other reason (duplicate, AutoMod, channel
 * settings, bans, unverified account) fails the same way on a retry.
 */
export const RETRYABLE_DROP_REASONS: ReadonlySet<string> = new Set(['msg_ratelimit', 'msg_slowmode']);

/**
 * SS_ERR_TWITCH_SEND_DROPPED for a message Twitch accepted but did not
 * deliver (`is_sent: false`). Same code as the IRC queue overflow, so one
 * `SS_ERR_TWITCH_SEND_DROPPED.is(error)` covers every dropped reply;
 * `details` says which: `{ transport: 'helix', reason, retryable }`.
 */
export function sendDroppedError(
  broadcasterId: string,
  reason: string,
  serverText: string,
  extra: Record<string, unknown> = {},
): StreamSuitesError {
  const retryable = RETRYABLE_DROP_REASONS.has(reason);
  return new StreamSuitesError(
    SS_ERR_TWITCH_SEND_DROPPED.code,
    `Twitch did not deliver the message to broadcaster ${broadcasterId}: ${reason} (${serverText})`,
    {
      details: { transport: 'helix', broadcasterId, reason, serverText, retryable, ...extra },
      hint: retryable
        ? 'A short-lived condition (rate limit or slow mode): sending again later can succeed.'
        : 'Twitch will refuse the same message again: change the text or the channel settings.',
    },
  );
}
