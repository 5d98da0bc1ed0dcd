import { SS_ERR_TWITCH_HELIX_FAILED } from '../errors.js';
import { helixRequest, messageOf, type HelixRequestOptions } from '../helix/request.js';
import { SS_ERR_TWITCH_MODERATION_FAILED } from './errors.js';

/** The channel's user id and the moderator's (the bot token's user). */
export interface ModerationIds {
  broadcasterId: string;
  moderatorId: string;
}

export type HelixModerationOptions = Omit<HelixRequestOptions, 'subject'> & {
  /** Named in SS_ERR_TWITCH_AUTH. */
  creatorId: string;
  /** The ids to moderate with (EventSub's lookup when it runs, else Get Users). */
  ids: () => Promise<ModerationIds>;
};

/** The scopes the moderation calls need on the bot's user token. */
export const MODERATION_SCOPES = Object.freeze({
  deleteMessage: 'moderator:manage:chat_messages',
  timeout: 'moderator:manage:banned_users',
});

/**
 * Chat moderation through Helix, as the bot (a moderator of the channel, or
 * the broadcaster): "Delete Chat Messages"
 * (`DELETE /moderation/chat?broadcaster_id&moderator_id&message_id`,
 * moderator:manage:chat_messages) and "Ban User" with a `duration` — a
 * timeout (`POST /moderation/bans`, moderator:manage:banned_users). A refusal
 * is SS_ERR_TWITCH_MODERATION_FAILED with the status and a hint.
 */
export class HelixModeration {
  readonly #options: HelixModerationOptions;

  constructor(options: HelixModerationOptions) {
    this.#options = options;
  }

  async deleteMessage(messageId: string, signal?: AbortSignal): Promise<void> {
    const { broadcasterId, moderatorId } = await this.#options.ids();
    const query = new URLSearchParams({ broadcaster_id: broadcasterId, moderator_id: moderatorId, message_id: messageId });
    const answer = await helixRequest({ ...this.#options, subject: this.#options.creatorId }, 'DELETE', `/moderation/chat?${query}`, undefined, signal);
    if (answer.status !== 204 && answer.status !== 200) {
      throw new SS_ERR_TWITCH_MODERATION_FAILED(`delete message ${messageId}`, answer.status, messageOf(answer.body) ?? 'no message', {
        details: { status: answer.status, broadcasterId, messageId },
      });
    }
  }

  /** Times `userId` out for `seconds` (1 to 1209600). */
  async timeout(userId: string, seconds: number, reason: string | undefined, signal?: AbortSignal): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 1_209_600) {
      throw new SS_ERR_TWITCH_HELIX_FAILED(`Ban User: a timeout lasts 1 to 1209600 seconds, not ${seconds}`);
    }
    const { broadcasterId, moderatorId } = await this.#options.ids();
    const query = new URLSearchParams({ broadcaster_id: broadcasterId, moderator_id: moderatorId });
    const body = { data: { user_id: userId, duration: seconds, ...(reason === undefined || reason === '' ? {} : { reason: reason.slice(0, 500) }) } };
    const answer = await helixRequest({ ...this.#options, subject: this.#options.creatorId }, 'POST', `/moderation/bans?${query}`, body, signal);
    if (answer.status !== 200) {
      throw new SS_ERR_TWITCH_MODERATION_FAILED(`time out user ${userId}`, answer.status, messageOf(answer.body) ?? 'no message', {
        details: { status: answer.status, broadcasterId, userId, seconds },
      });
    }
  }
}

/** The broadcaster's and the bot's ids through Get Users, looked up once (again after a failure). */
export function lookupIds(options: Omit<HelixRequestOptions, 'subject'> & { creatorId: string; channel: string; botLogin: string }): () => Promise<ModerationIds> {
  let pending: Promise<ModerationIds> | undefined;
  return () =>
    (pending ??= (async () => {
      const query = new URLSearchParams([['login', options.channel], ['login', options.botLogin]]);
      const answer = await helixRequest({ ...options, subject: options.creatorId }, 'GET', `/users?${query}`, undefined);
      const users = (answer.body as { data?: { id?: unknown; login?: unknown }[] } | undefined)?.data ?? [];
      const idOf = (login: string) => users.find((u) => typeof u.login === 'string' && u.login.toLowerCase() === login.toLowerCase())?.id;
      const broadcasterId = idOf(options.channel);
      const moderatorId = idOf(options.botLogin);
      if (answer.status !== 200 || typeof broadcasterId !== 'string' || typeof moderatorId !== 'string') {
        throw new SS_ERR_TWITCH_HELIX_FAILED(`Get Users: no id for ${typeof broadcasterId === 'string' ? options.botLogin : options.channel} (HTTP ${answer.status})`);
      }
      return { broadcasterId, moderatorId };
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
