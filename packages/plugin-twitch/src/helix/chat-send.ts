import type { RateLimitGovernor } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_HELIX_FAILED } from '../errors.js';
import { TWITCH_CHAT_USER } from '../limits.js';
import { splitMessage } from '../split.js';
import { sendDroppedError } from './errors.js';
import { helixRequest, messageOf, type HelixRequestOptions, type HelixTokenSource } from './request.js';

export interface HelixChatSenderOptions extends Omit<HelixRequestOptions, 'tokens' | 'subject'> {
  /**
   * `user`: the bot's user token with `user:write:chat`. `app`: an app
   * access token; Twitch then needs `user:bot` from the bot and `channel:bot`
   * from the broadcaster (or the bot being a moderator), and shows the
   * chat badge of the app.
   */
  tokenKind: 'user' | 'app';
  tokens: HelixTokenSource;
  /** Named in SS_ERR_TWITCH_AUTH (default: the sender id). */
  creatorId?: string;
  /**
   * Shares the IRC sender's budget: the key `twitch:send:<botLogin>` with
   * Twitch's user chat limit, so replies over IRC and over the API are
   * counted together. Absent: no local limit (Twitch still answers 429 or
   * drops with `msg_ratelimit`).
   */
  rateLimit?: { governor: RateLimitGovernor; botLogin: string };
}

export interface HelixSendRequest {
  broadcasterId: string;
  /** The bot's user id (the token's user for `tokenKind: 'user'`). */
  senderId: string;
  text: string;
  /** Sends the message as a reply to this chat message (every chunk of a split text). */
  replyParentMessageId?: string;
}

export interface HelixSendResult {
  /** The id of the first chunk's message. */
  messageId: string;
  /** Every chunk's id, in order (one unless the text was over 500 characters). */
  messageIds: string[];
}

interface SendChatMessageResponse {
  data?: { message_id?: string; is_sent?: boolean; drop_reason?: { code?: string; message?: string } | null }[];
}

/**
 * Sends chat messages with Helix "Send Chat Message"
 * (`POST /helix/chat/messages`), the API Twitch recommends over IRC. A text
 * over 500 characters is split as over IRC (splitMessage) and sent in order.
 * `is_sent: false` becomes SS_ERR_TWITCH_SEND_DROPPED with Twitch's drop
 * reason and whether retrying can help; a 401 renews the token once; a 429
 * waits for `Ratelimit-Reset` once.
 */
export class HelixChatSender {
  readonly #options: HelixChatSenderOptions;

  constructor(options: HelixChatSenderOptions) {
    this.#options = options;
    options.rateLimit?.governor.configure(this.#rateKey()!, TWITCH_CHAT_USER);
  }

  get tokenKind(): 'user' | 'app' {
    return this.#options.tokenKind;
  }

  async send(request: HelixSendRequest, signal?: AbortSignal): Promise<HelixSendResult> {
    const chunks = splitMessage(request.text);
    if (chunks.length === 0) throw new SS_ERR_TWITCH_HELIX_FAILED('Send Chat Message: the text is empty', { details: { retryable: false } });
    const messageIds: string[] = [];
    for (const chunk of chunks) messageIds.push(await this.#sendOne(request, chunk, messageIds, signal));
    return { messageId: messageIds[0]!, messageIds };
  }

  async #sendOne(request: HelixSendRequest, message: string, sentSoFar: readonly string[], signal?: AbortSignal): Promise<string> {
    const { rateLimit } = this.#options;
    if (rateLimit !== undefined) await rateLimit.governor.acquire(this.#rateKey()!, signal === undefined ? {} : { signal });
    const body = {
      broadcaster_id: request.broadcasterId,
      sender_id: request.senderId,
      message,
      ...(request.replyParentMessageId === undefined ? {} : { reply_parent_message_id: request.replyParentMessageId }),
    };
    const answer = await helixRequest(
      { ...this.#options, subject: this.#options.creatorId ?? request.senderId },
      'POST',
      '/chat/messages',
      body,
      signal,
    );
    const partial = sentSoFar.length > 0 ? { sentMessageIds: [...sentSoFar] } : {};
    if (answer.status !== 200) {
      // 400 bad request, 403 the sender may not chat there (banned, or no channel:bot for an app token), 422 too long.
      const serverText = messageOf(answer.body) ?? `HTTP ${answer.status}`;
      throw new SS_ERR_TWITCH_HELIX_FAILED(`POST /chat/messages answered ${answer.status} (${serverText})`, {
        details: { status: answer.status, endpoint: 'POST /chat/messages', retryable: false, ...partial },
        hint:
          answer.status === 403
            ? this.#options.tokenKind === 'app'
              ? 'With an app token the bot needs user:bot and the channel needs channel:bot (or the bot must be a moderator there).'
              : 'The bot may not chat in this channel (banned, or the token lacks user:write:chat).'
            : undefined,
      });
    }
    const result = (answer.body as SendChatMessageResponse | undefined)?.data?.[0];
    if (result === undefined || typeof result.is_sent !== 'boolean') {
      throw new SS_ERR_TWITCH_HELIX_FAILED('POST /chat/messages answered without data[0].is_sent', { details: { retryable: false } });
    }
    if (!result.is_sent) {
      const reason = result.drop_reason?.code ?? 'unknown';
      throw sendDroppedError(request.broadcasterId, reason, result.drop_reason?.message ?? 'no reason given', partial);
    }
    if (typeof result.message_id !== 'string' || result.message_id.length === 0) {
      throw new SS_ERR_TWITCH_HELIX_FAILED('POST /chat/messages reported is_sent without a message_id', { details: { retryable: false } });
    }
    return result.message_id;
  }

  #rateKey(): string | undefined {
    const rateLimit = this.#options.rateLimit;
    return rateLimit === undefined ? undefined : `twitch:send:${rateLimit.botLogin}`;
  }
}
