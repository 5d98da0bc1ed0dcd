import { defineError } from '@streamsuites/kernel';

/** Coded errors of chat moderation through Helix (listed in the README "Errors" table). */

export const SS_ERR_TWITCH_MODERATION_FAILED = defineError(
  'SS_ERR_TWITCH_MODERATION_FAILED',
  (what: string, status: number, serverText: string) => `Twitch refused to ${what}: HTTP ${status} (${serverText})`,
  (_what: string, status: number) =>
    status === 401
      ? 'The bot token lacks the scope: moderator:manage:chat_messages (delete) or moderator:manage:banned_users (timeout); authorize again with it.'
      : status === 403
        ? 'The bot account is not a moderator of the channel: make it one (/mod <bot>), or use the broadcaster\'s own token.'
        : status === 404
          ? 'The message is gone or older than six hours (Twitch deletes only recent messages).'
          : 'Twitch does not let anyone delete or time out the broadcaster or a moderator, and a banned user cannot be timed out.',
);
