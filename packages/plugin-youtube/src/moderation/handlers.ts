import type { ActionDispatcher } from '@streamsuites/kernel';
import type { YouTubeApi } from '../api/client.js';
import { SS_ERR_YOUTUBE_NOT_LIVE } from '../errors.js';
import { SS_ERR_YOUTUBE_MODERATION_NEEDS_OAUTH } from './errors.js';

/** What a handler needs of a creator's running chat. */
export interface ModerationTarget {
  api: YouTubeApi;
  liveChatId: string | undefined;
}

/**
 * The YouTube handlers of the built-in `chat.delete` (liveChatMessages.delete
 * of the message that fired the action) and `chat.timeout`
 * (liveChatBans.insert, type temporary, of its author's channel). Each call
 * costs 50 units, charged to the creator's quota tracker before it is made.
 */
export function registerModerationHandlers(actions: ActionDispatcher, targetOf: (creatorId: string) => ModerationTarget | undefined): void {
  const target = (creatorId: string, action: string): ModerationTarget & { liveChatId: string } => {
    const found = targetOf(creatorId);
    if (found === undefined || found.liveChatId === undefined) throw new SS_ERR_YOUTUBE_NOT_LIVE(creatorId);
    if (!found.api.hasOAuth) throw new SS_ERR_YOUTUBE_MODERATION_NEEDS_OAUTH(creatorId, action);
    return { api: found.api, liveChatId: found.liveChatId };
  };
  actions.registerHandler<Record<string, never>>({
    type: 'chat.delete',
    platform: 'youtube',
    timeoutMs: 30_000,
    async handle(_params, ctx) {
      if (ctx.message === undefined) return; // nothing to delete outside chat
      await target(ctx.creatorId, 'delete a message').api.deleteMessage(ctx.message.id);
    },
  });
  actions.registerHandler<{ seconds: number; reason?: string }>({
    type: 'chat.timeout',
    platform: 'youtube',
    timeoutMs: 30_000,
    async handle(params, ctx) {
      if (ctx.message === undefined) return;
      const { api, liveChatId } = target(ctx.creatorId, 'time a user out');
      // YouTube has no reason field on bans; the author's channel id is the normalized author id.
      await api.banTemporarily(liveChatId, ctx.message.author.id, params.seconds);
    },
  });
}
