import type { IrcMessage } from '../irc/message.external.js';
import type { ChatRoomState } from '../events.js';
import { channelOf, parseIntTag, unwrapAction, wellFormed } from './tags.js';
import type { NormalizeContext, NormalizedLine } from './types.js';

const PLATFORM = 'twitch';

/**
 * CLEARMSG → `chat.deleted` (plus the author's login and the deleted text,
 * outside the event). A deleted `/me` message comes with its CTCP wrapper
 * (`\u0001ACTION test\u0001`, moderation.irc:7): the text is unwrapped and
 * `isAction` set, as for PRIVMSG.
 */
export function normalizeClearmsg(msg: IrcMessage, ctx: NormalizeContext): NormalizedLine {
  const channel = channelOf(msg.params[0]);
  const messageId = msg.tags['target-msg-id'];
  if (channel === undefined || messageId === undefined || messageId.length === 0) {
    return { kind: 'ignored', reason: 'CLEARMSG without a channel or target-msg-id', command: msg.command };
  }
  const result: NormalizedLine & { kind: 'deleted' } = {
    kind: 'deleted',
    event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, messageId, at: ctx.receivedAt },
  };
  const login = msg.tags.login;
  if (login !== undefined && login.length > 0) result.login = login;
  if (msg.trailing !== undefined) {
    const { text, isAction } = unwrapAction(msg.trailing);
    result.text = wellFormed(text);
    if (isAction) result.isAction = true;
  }
  return result;
}

/** CLEARCHAT with a target → `chat.user-timeout` (timeout with `ban-duration`, else ban); without → `chat.cleared`. */
export function normalizeClearchat(msg: IrcMessage, ctx: NormalizeContext): NormalizedLine {
  const channel = channelOf(msg.params[0]);
  if (channel === undefined) return { kind: 'ignored', reason: 'CLEARCHAT without a channel', command: msg.command };
  const target = msg.trailing ?? msg.params[1];
  // The same CLEARCHAT reaches every connection of the creator; its timestamp tells one from the next.
  const sentAt = msg.tags['tmi-sent-ts'];
  const key = sentAt === undefined || sentAt.length === 0 ? undefined : `CLEARCHAT ${channel} ${target ?? ''} ${sentAt}`;
  if (target === undefined || target.length === 0) {
    return { kind: 'cleared', event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, at: ctx.receivedAt }, ...(key === undefined ? {} : { key }) };
  }
  const duration = parseIntTag(msg.tags['ban-duration']);
  const event: NormalizedLine & { kind: 'user-timeout' } = {
    kind: 'user-timeout',
    event: {
      creatorId: ctx.creatorId,
      platform: PLATFORM,
      channel,
      userId: msg.tags['target-user-id'] ?? '',
      login: target,
      action: duration === undefined ? 'ban' : 'timeout',
      at: ctx.receivedAt,
    },
  };
  if (duration !== undefined) event.event.durationSec = duration;
  if (key !== undefined) event.key = key;
  const reason = msg.tags['ban-reason'];
  if (reason !== undefined && reason.length > 0) event.event.reason = wellFormed(reason);
  return event;
}

function flag(value: string | undefined): boolean | undefined {
  return value === undefined || value.length === 0 ? undefined : value !== '0';
}

/** ROOMSTATE → `chat.room-state`: only the modes present in the line. */
export function normalizeRoomstate(msg: IrcMessage, ctx: NormalizeContext): NormalizedLine {
  const channel = channelOf(msg.params[0]);
  if (channel === undefined) return { kind: 'ignored', reason: 'ROOMSTATE without a channel', command: msg.command };
  const tags = msg.tags;
  const state: ChatRoomState = {};
  const emoteOnly = flag(tags['emote-only']);
  if (emoteOnly !== undefined) state.emoteOnly = emoteOnly;
  // followers-only: -1 = off, N >= 0 = on for followers of at least N minutes.
  const followers = parseIntTag(tags['followers-only']);
  if (followers !== undefined) {
    state.followersOnly = followers >= 0;
    if (followers >= 0) state.followersOnlyMinutes = followers;
  }
  const r9k = flag(tags.r9k);
  if (r9k !== undefined) state.uniqueChat = r9k;
  const slow = parseIntTag(tags.slow);
  if (slow !== undefined && slow >= 0) state.slowSec = slow;
  const subsOnly = flag(tags['subs-only']);
  if (subsOnly !== undefined) state.subsOnly = subsOnly;
  const result: NormalizedLine & { kind: 'room-state' } = {
    kind: 'room-state',
    event: { creatorId: ctx.creatorId, platform: PLATFORM, channel, state, at: ctx.receivedAt },
  };
  const roomId = tags['room-id'];
  if (roomId !== undefined && roomId.length > 0) result.event.channelId = roomId;
  return result;
}
