import type { ActionDispatcher } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_CONFIG } from '../errors.js';
import type { HelixModeration } from './helix-moderation.js';

/**
 * The Twitch handlers of the built-in `chat.delete` and `chat.timeout`
 * actions: they act on the message that fired the action (`ctx.message`),
 * through the creator's HelixModeration (absent without a clientId).
 */
export function registerModerationHandlers(actions: ActionDispatcher, moderationOf: (creatorId: string) => HelixModeration | undefined): void {
  const moderation = (creatorId: string, type: string): HelixModeration => {
    const found = moderationOf(creatorId);
    if (found === undefined) throw new SS_ERR_TWITCH_CONFIG(creatorId, `${type} needs clientId (Helix) and the bot's token with the moderation scopes`);
    return found;
  };
  actions.registerHandler<Record<string, never>>({
    type: 'chat.delete',
    platform: 'twitch',
    timeoutMs: 30_000,
    async handle(_params, ctx) {
      if (ctx.message === undefined) return;
      await moderation(ctx.creatorId, 'chat.delete').deleteMessage(ctx.message.id, ctx.signal);
    },
  });
  actions.registerHandler<{ seconds: number; reason?: string }>({
    type: 'chat.timeout',
    platform: 'twitch',
    timeoutMs: 30_000,
    async handle(params, ctx) {
      if (ctx.message === undefined) return;
      await moderation(ctx.creatorId, 'chat.timeout').timeout(ctx.message.author.id, params.seconds, params.reason, ctx.signal);
    },
  });
}
