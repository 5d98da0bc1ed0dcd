/**
 * liveChatMessages.delete and liveChatBans.insert: a moderator (the chat's
 * owner, or an account made one with `addModerator`) deletes a message or
 * bans its author for a while. Like YouTube, each shows in the chat as an
 * event (`messageDeletedEvent`, `userBannedEvent`); every accepted call is
 * recorded for tests.
 */
import type { AccountState } from './auth.js';
import { customError, googleError, requiredParameter } from './errors.js';
import { type Exchange, sendError, sendOk, writeHead } from './reply.js';
import { liveChatSnippetOf } from './request.js';
import type { FakeModerationCall } from './types.js';
import type { FakeWorld } from './world.js';

export class ModerationEndpoints {
  readonly calls: FakeModerationCall[] = [];
  /** Channel ids of accounts that moderate every chat of the fake. */
  readonly moderators = new Set<string>();

  constructor(
    private readonly world: FakeWorld,
    private readonly now: () => number,
  ) {}

  #mayModerate(account: AccountState, chatOwner: string): boolean {
    return account.channelId === chatOwner || this.moderators.has(account.channelId);
  }

  /** The chat holding a message id (any broadcast's). */
  #chatOf(messageId: string) {
    for (const video of this.world.videos()) {
      const liveChatId = video.broadcast?.liveChatId;
      const chat = liveChatId === undefined ? undefined : this.world.chatById(liveChatId);
      if (chat?.items.some((item) => item.id === messageId)) return chat;
    }
    return undefined;
  }

  delete(ex: Exchange, account: AccountState): void {
    const id = ex.url.searchParams.get('id');
    if (id === null || id.length === 0) return sendError(ex, requiredParameter('id'));
    const chat = this.#chatOf(id);
    if (chat === undefined) return sendError(ex, customError(404, 'liveChatMessageNotFound', 'The live chat message that you are trying to delete cannot be found.', { domain: 'youtube.liveChat' }));
    if (!this.#mayModerate(account, chat.channelId)) return sendError(ex, googleError('forbidden'));
    this.world.deleteMessage(id, { by: { channelId: account.channelId, displayName: account.displayName }, liveChatId: chat.liveChatId });
    this.calls.push({ action: 'delete', liveChatId: chat.liveChatId, messageId: id, by: account.channelId, at: this.now() });
    writeHead(ex.res, 204, {});
    ex.res.end();
  }

  async ban(ex: Exchange, account: AccountState): Promise<void> {
    const read = await liveChatSnippetOf(ex);
    if (read === undefined) return;
    const { snippet, liveChatId } = read;
    const channelId = (snippet.bannedUserDetails as { channelId?: unknown } | undefined)?.channelId;
    if (typeof channelId !== 'string' || channelId.length === 0) return sendError(ex, requiredParameter('snippet.bannedUserDetails.channelId'));
    const type = snippet.type;
    if (type !== 'temporary' && type !== 'permanent') return sendError(ex, customError(400, 'invalidValue', `Invalid value '${String(type)}' for snippet.type.`));
    const duration = Number(snippet.banDurationSeconds);
    if (type === 'temporary' && (!Number.isInteger(duration) || duration < 1)) return sendError(ex, customError(400, 'invalidValue', 'snippet.banDurationSeconds must be a positive number of seconds.'));
    const chat = this.world.chatById(liveChatId);
    if (chat === undefined) return sendError(ex, googleError('liveChatNotFound'));
    if (!this.#mayModerate(account, chat.channelId)) return sendError(ex, googleError('forbidden'));
    const id = this.world.ban({
      target: { channelId, displayName: channelId },
      ...(type === 'temporary' ? { durationSec: duration } : {}),
      by: { channelId: account.channelId, displayName: account.displayName },
      liveChatId,
    });
    this.calls.push({ action: type === 'temporary' ? 'timeout' : 'ban', liveChatId, channelId, ...(type === 'temporary' ? { duration } : {}), by: account.channelId, at: this.now() });
    sendOk(ex, { kind: 'youtube#liveChatBan', etag: `ban-${id}`, id, snippet: { liveChatId, type, ...(type === 'temporary' ? { banDurationSeconds: String(duration) } : {}), bannedUserDetails: { channelId } } });
  }
}
