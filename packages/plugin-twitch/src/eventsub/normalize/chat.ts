/**
 * EventSub chat subscription types → the same NormalizedLine kinds an IRC
 * line of the same event gives (see `../../normalize/`), so both transports
 * feed one pipeline and dedupe on the same message ids.
 *
 * Total: a normalizer never throws. An unknown version or notice type is
 * `ignored` with the reason; a payload without the documented fields (or one
 * the code throws on) is `failed` with the reason.
 */
import type { EventSubNormalizeContext, NormalizedNotification, NotificationNormalizer } from '../types.js';
import { isObj, Malformed, type Obj } from './chat-fields.js';
import { normalizeChatMessage } from './chat-message.js';
import { normalizeBan, normalizeChatClear, normalizeChatSettings, normalizeClearUserMessages, normalizeMessageDelete } from './chat-moderation.js';
import { normalizeChatNotification } from './chat-notification.js';

type Inner = (event: Obj, ctx: EventSubNormalizeContext) => NormalizedNotification;

/** Wraps one v1 normalizer: version check, object check, and no throw. */
function v1(type: string, inner: Inner): NotificationNormalizer {
  return (event, version, ctx) => {
    try {
      if (version !== '1') return { kind: 'ignored', reason: `${type} version "${String(version)}" is not supported (only "1")`, command: type };
      if (!isObj(event)) return { kind: 'failed', reason: `${type}: the event is not an object`, command: type };
      return inner(event, ctx);
    } catch (error) {
      let reason: string;
      try {
        reason = error instanceof Malformed ? error.message : `${type}: ${error instanceof Error ? error.message : String(error)}`;
      } catch {
        reason = `${type}: unknown error`;
      }
      return { kind: 'failed', reason, command: type };
    }
  };
}

/**
 * The chat normalizers by subscription type. `channel.ban` is here because
 * it is what tells a ban from a timeout (`channel.chat.clear_user_messages`
 * does not, and is `ignored`); it needs the `moderator:read:banned_users`
 * (or `channel:moderate`) scope of a moderator of the channel.
 */
export const chatNormalizers: Record<string, NotificationNormalizer> = {
  'channel.chat.message': v1('channel.chat.message', normalizeChatMessage),
  'channel.chat.notification': v1('channel.chat.notification', normalizeChatNotification),
  'channel.chat.message_delete': v1('channel.chat.message_delete', normalizeMessageDelete),
  'channel.chat.clear': v1('channel.chat.clear', normalizeChatClear),
  'channel.chat.clear_user_messages': v1('channel.chat.clear_user_messages', (event) => normalizeClearUserMessages(event)),
  'channel.ban': v1('channel.ban', normalizeBan),
  'channel.chat_settings.update': v1('channel.chat_settings.update', normalizeChatSettings),
};
