/**
 * `channel.chat.message` v1 → `{ kind: 'message' }`, the same ChatMessage an
 * IRC PRIVMSG of the same message gives (same id, so the dedupe LRU drops
 * the copy that arrives second on the other transport).
 */
import type { ChatMessage } from '@streamsuites/kernel';
import type { EventSubNormalizeContext, NormalizedNotification } from '../types.js';
import { wellFormed } from '../../normalize/tags.js';
import { authorOf, chatTextOf, Malformed, obj, optObj, optInt, optStr, PLATFORM, str, type Obj } from './chat-fields.js';

const WHERE = 'channel.chat.message';

/**
 * What IRC does with the same message's tags, field by field:
 * - `message_type` (`text`, `channel_points_highlighted`,
 *   `channel_points_sub_only`, `user_intro`, `power_ups_*`) is IRC's
 *   PRIVMSG `msg-id` (`highlighted-message`, `skip-subs-mode-message`,
 *   `user-intro`, `gigantified-emote-message`, `animated-message`): IRC keeps
 *   them all as plain messages and so does this; an unknown type too.
 * - `channel_points_custom_reward_id` is IRC's `custom-reward-id`, which the
 *   IRC normalizer does not keep (ChatMessage has no field for it): not kept.
 * - `source_*` (shared chat) are IRC's `source-*` tags: not kept on either
 *   transport; `message_id` and `badges` are this channel's (IRC `id`,
 *   `badges`), `source_message_id` / `source_badges` the origin channel's.
 * - `cheer.bits` → `monetary` like IRC's `bits` tag.
 * - `reply.parent_*` → `reply` like IRC's `reply-parent-*` tags.
 * - No first-message flag: EventSub has none (IRC's `first-msg`), so
 *   `firstMessage` stays unset.
 */
export function normalizeChatMessage(event: Obj, ctx: EventSubNormalizeContext): NormalizedNotification {
  const channel = str(event, 'broadcaster_user_login', WHERE);
  const id = str(event, 'message_id', WHERE);
  const author = authorOf(event, WHERE);
  const { text, isAction, emotes } = chatTextOf(obj(event, 'message', WHERE), `${WHERE}.message`);
  const message: ChatMessage = {
    id,
    platform: PLATFORM,
    creatorId: ctx.creatorId,
    channel,
    receivedAt: ctx.receivedAt,
    sentAt: ctx.sentAt,
    author,
    text,
    isAction,
  };
  const reply = optObj(event, 'reply', WHERE);
  if (reply !== undefined) {
    const parentId = optStr(reply, 'parent_message_id', `${WHERE}.reply`);
    if (parentId !== undefined) {
      message.reply = { messageId: parentId, authorLogin: optStr(reply, 'parent_user_login', `${WHERE}.reply`) ?? '' };
      const body = reply.parent_message_body;
      if (typeof body === 'string') message.reply.text = wellFormed(body);
      else if (body !== undefined && body !== null) throw new Malformed(`${WHERE}.reply.parent_message_body is not a string`);
    }
  }
  if (emotes !== undefined) message.emotes = emotes;
  const cheer = optObj(event, 'cheer', WHERE);
  if (cheer !== undefined) {
    const bits = optInt(cheer, 'bits', `${WHERE}.cheer`);
    if (bits !== undefined && bits > 0) message.monetary = { kind: 'bits', amountMicros: bits * 1_000_000, currency: 'BITS' };
  }
  const messageType = event.message_type;
  if (messageType !== undefined && messageType !== null && typeof messageType !== 'string') throw new Malformed(`${WHERE}.message_type is not a string`);
  return { kind: 'message', message };
}
