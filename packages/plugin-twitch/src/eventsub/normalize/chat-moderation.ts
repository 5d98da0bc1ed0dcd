/**
 * Chat moderation and room modes over EventSub, as the IRC normalizer gives
 * them for CLEARMSG, CLEARCHAT and ROOMSTATE. Every event's `at` is
 * `ctx.receivedAt`, as on IRC (the kernel events say "received").
 */
import type { ChatRoomState } from '../../events.js';
import type { EventSubNormalizeContext, NormalizedNotification } from '../types.js';
import { wellFormed } from '../../normalize/tags.js';
import { bool, Malformed, optBool, optInt, optStr, PLATFORM, str, type Obj } from './chat-fields.js';

/**
 * `channel.chat.message_delete` → `deleted` (CLEARMSG). EventSub does not
 * send the deleted text, so `text` / `isAction` (which CLEARMSG has) are
 * absent; `login` is `target_user_login` (CLEARMSG's `login` tag).
 */
export function normalizeMessageDelete(event: Obj, ctx: EventSubNormalizeContext): NormalizedNotification {
  const where = 'channel.chat.message_delete';
  const channel = str(event, 'broadcaster_user_login', where);
  const messageId = str(event, 'message_id', where);
  const result: NormalizedNotification & { kind: 'deleted' } = {
    kind: 'deleted',
    event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, messageId, at: ctx.receivedAt },
  };
  const login = optStr(event, 'target_user_login', where);
  if (login !== undefined) result.login = login;
  return result;
}

/**
 * `channel.chat.clear` → `cleared` (CLEARCHAT without a target). No `key`:
 * IRC's key tells one connection's copy of a CLEARCHAT from the next; an
 * EventSub redelivery carries the same `metadata.message_id` instead.
 */
export function normalizeChatClear(event: Obj, ctx: EventSubNormalizeContext): NormalizedNotification {
  const channel = str(event, 'broadcaster_user_login', 'channel.chat.clear');
  return { kind: 'cleared', event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, at: ctx.receivedAt } };
}

/**
 * `channel.chat.clear_user_messages` → `ignored`. It is sent for a ban and
 * for a timeout alike and says neither which nor how long (its only fields
 * are the broadcaster and the target user), so it cannot become a
 * `user-timeout` with a true `action`. `channel.ban` (below) carries both and
 * is sent for the same moderator action.
 */
export function normalizeClearUserMessages(event: Obj): NormalizedNotification {
  const where = 'channel.chat.clear_user_messages';
  str(event, 'broadcaster_user_login', where);
  str(event, 'target_user_login', where);
  return {
    kind: 'ignored',
    reason: 'channel.chat.clear_user_messages does not tell a ban from a timeout; channel.ban gives the user-timeout',
    command: where,
  };
}

/** RFC 3339 → ms, or undefined. */
function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `channel.ban` v1 → `user-timeout` (CLEARCHAT with a target): `is_permanent`
 * → `ban`; otherwise `timeout` with `durationSec` = `ends_at - banned_at`
 * (IRC's `ban-duration`), rounded to whole seconds. `reason` is kept when
 * not empty, like IRC's `ban-reason`.
 */
export function normalizeBan(event: Obj, ctx: EventSubNormalizeContext): NormalizedNotification {
  const where = 'channel.ban';
  const channel = str(event, 'broadcaster_user_login', where);
  const userId = str(event, 'user_id', where);
  const login = str(event, 'user_login', where);
  const permanent = bool(event, 'is_permanent', where);
  const result: NormalizedNotification & { kind: 'user-timeout' } = {
    kind: 'user-timeout',
    event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, userId, login, action: permanent ? 'ban' : 'timeout', at: ctx.receivedAt },
  };
  if (!permanent) {
    const bannedAt = timeOf(optStr(event, 'banned_at', where));
    const endsAt = timeOf(optStr(event, 'ends_at', where));
    if (bannedAt === undefined || endsAt === undefined) throw new Malformed(`${where}: a timeout without a valid banned_at and ends_at`);
    result.event.durationSec = Math.max(0, Math.round((endsAt - bannedAt) / 1000));
  }
  const reason = optStr(event, 'reason', where);
  if (reason !== undefined) result.event.reason = wellFormed(reason);
  return result;
}

/**
 * `channel.chat_settings.update` → `room-state` (ROOMSTATE). EventSub sends
 * every mode each time (IRC: every mode on join, then only the changed one);
 * the connection's RoomStates tells which changed either way.
 * `follower_mode_duration_minutes` is the minimum follow age when followers
 * mode is on (IRC `followers-only=N`); slow mode off → `slowSec: 0` (IRC
 * `slow=0`).
 */
export function normalizeChatSettings(event: Obj, ctx: EventSubNormalizeContext): NormalizedNotification {
  const where = 'channel.chat_settings.update';
  const channel = str(event, 'broadcaster_user_login', where);
  const state: ChatRoomState = {};
  const emoteOnly = optBool(event, 'emote_mode', where);
  if (emoteOnly !== undefined) state.emoteOnly = emoteOnly;
  const followers = optBool(event, 'follower_mode', where);
  if (followers !== undefined) {
    state.followersOnly = followers;
    if (followers) state.followersOnlyMinutes = optInt(event, 'follower_mode_duration_minutes', where) ?? 0;
  }
  const unique = optBool(event, 'unique_chat_mode', where);
  if (unique !== undefined) state.uniqueChat = unique;
  const slow = optBool(event, 'slow_mode', where);
  if (slow !== undefined) state.slowSec = slow ? (optInt(event, 'slow_mode_wait_time_seconds', where) ?? 0) : 0;
  const subsOnly = optBool(event, 'subscriber_mode', where);
  if (subsOnly !== undefined) state.subsOnly = subsOnly;
  const result: NormalizedNotification & { kind: 'room-state' } = {
    kind: 'room-state',
    event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, state, at: ctx.receivedAt },
  };
  const channelId = optStr(event, 'broadcaster_user_id', where);
  if (channelId !== undefined) result.event.channelId = channelId;
  return result;
}
