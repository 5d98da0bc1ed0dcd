import type { ChatAuthor, ChatEmote, ChatMessage, ChatNotice, ChatRole, StreamStatus } from '@streamsuites/kernel';
import type { KickChatMessageSent, KickFollowed, KickLivestreamStatus, KickSubscription, KickSubscriptionGifts, KickUser } from './api/types.js';

export interface NormalizeContext {
  creatorId: string;
  /** The channel slug events carry. */
  channel: string;
  receivedAt: number;
}

/** Kick badge types (sender.identity.badges[].type) that mean a chat role. */
const BADGE_ROLES: Readonly<Record<string, ChatRole>> = {
  broadcaster: 'broadcaster',
  moderator: 'moderator',
  vip: 'vip',
  og: 'vip',
  subscriber: 'subscriber',
  founder: 'subscriber',
};
const ROLE_ORDER: readonly ChatRole[] = ['broadcaster', 'moderator', 'vip', 'subscriber', 'member'];

const parseTime = (text: string | null | undefined, fallback: number): number => {
  const ms = text == null ? Number.NaN : Date.parse(text);
  return Number.isFinite(ms) ? ms : fallback;
};

/** A Kick user as the kernel's chat author; the broadcaster role also when the user is the channel's broadcaster. */
export function toAuthor(user: KickUser, broadcaster?: KickUser): ChatAuthor {
  if (user.user_id == null || user.username == null) throw new Error('the user has no user_id / username');
  const roles = new Set<ChatRole>();
  const badges: Record<string, string> = {};
  for (const badge of user.identity?.badges ?? []) {
    if (typeof badge?.type !== 'string' || badge.type === '') continue;
    badges[badge.type] = String(badge.count ?? 1);
    const role = BADGE_ROLES[badge.type];
    if (role !== undefined) roles.add(role);
  }
  if (broadcaster?.user_id != null && broadcaster.user_id === user.user_id) roles.add('broadcaster');
  return {
    id: String(user.user_id),
    login: user.username.toLowerCase(),
    displayName: user.username,
    roles: ROLE_ORDER.filter((role) => roles.has(role)),
    ...(Object.keys(badges).length === 0 ? {} : { badges }),
    ...(typeof user.identity?.username_color === 'string' && user.identity.username_color !== '' ? { color: user.identity.username_color } : {}),
  };
}

/**
 * Kick's emote positions (`s`..`e`, both inclusive, over the
 * `[emote:<id>:<name>]` tokens in content) as the kernel's code-point
 * ranges with an exclusive end; the name is read from the token.
 */
export function toEmotes(content: string, emotes: KickChatMessageSent['emotes']): ChatEmote[] {
  const codePoints = [...content];
  const out: ChatEmote[] = [];
  for (const emote of emotes ?? []) {
    for (const { s, e } of emote.positions ?? []) {
      if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e < s || e >= codePoints.length) continue;
      const token = codePoints.slice(s, e + 1).join('');
      const name = /^\[emote:[^:\]]+:([^\]]+)\]$/.exec(token)?.[1];
      out.push({ id: String(emote.emote_id), ...(name === undefined ? {} : { name }), start: s, end: e + 1 });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** `chat.message.sent` as the kernel's chat message. */
export function toChatMessage(event: KickChatMessageSent, ctx: NormalizeContext): ChatMessage {
  if (typeof event.message_id !== 'string' || event.message_id === '') throw new Error('message_id is missing');
  if (typeof event.content !== 'string') throw new Error('content is missing');
  const message: ChatMessage = {
    id: event.message_id,
    platform: 'kick',
    creatorId: ctx.creatorId,
    channel: ctx.channel,
    receivedAt: ctx.receivedAt,
    sentAt: parseTime(event.created_at, ctx.receivedAt),
    author: toAuthor(event.sender, event.broadcaster),
    text: event.content,
    isAction: false,
  };
  const emotes = toEmotes(event.content, event.emotes);
  if (emotes.length > 0) message.emotes = emotes;
  const parent = event.replies_to;
  if (parent != null && typeof parent.message_id === 'string') {
    message.reply = {
      messageId: parent.message_id,
      authorLogin: (parent.sender?.username ?? '').toLowerCase(),
      ...(typeof parent.content === 'string' ? { text: parent.content } : {}),
    };
  }
  return message;
}

function notice(kind: string, id: string, ctx: NormalizeContext, author: ChatAuthor | undefined): ChatNotice {
  return { id, platform: 'kick', creatorId: ctx.creatorId, channel: ctx.channel, receivedAt: ctx.receivedAt, kind, ...(author === undefined ? {} : { author }) };
}

/** `channel.followed` → notice `follow` (id: the webhook message id; follows carry none of their own). */
export function followNotice(event: KickFollowed, id: string, ctx: NormalizeContext): ChatNotice {
  const author = toAuthor(event.follower);
  return { ...notice('follow', id, ctx, author), text: `${author.displayName} followed` };
}

/** `channel.subscription.new` → `sub`, `.renewal` → `resub`; data.months is Kick's `duration`. */
export function subscriptionNotice(event: KickSubscription, renewal: boolean, id: string, ctx: NormalizeContext): ChatNotice {
  const author = toAuthor(event.subscriber);
  const months = Number.isFinite(event.duration) ? event.duration : 1;
  return {
    ...notice(renewal ? 'resub' : 'sub', id, ctx, author),
    text: renewal ? `${author.displayName} renewed their subscription (${months} months)` : `${author.displayName} subscribed`,
    data: { months },
  };
}

/** `channel.subscription.gifts` → `subgift`; an anonymous gifter gives a notice without author. */
export function giftsNotice(event: KickSubscriptionGifts, id: string, ctx: NormalizeContext): ChatNotice {
  const anonymous = event.gifter?.is_anonymous === true || event.gifter?.user_id == null;
  const author = anonymous ? undefined : toAuthor(event.gifter);
  const count = Array.isArray(event.giftees) ? event.giftees.length : 0;
  const giftees = (event.giftees ?? []).map((g) => g.username).filter((n): n is string => typeof n === 'string');
  return {
    ...notice('subgift', id, ctx, author),
    text: `${author?.displayName ?? 'An anonymous gifter'} gifted ${count} subscription${count === 1 ? '' : 's'}`,
    data: { count, anonymous, giftees: giftees.join(',') },
  };
}

/** `livestream.status.updated` as the kernel's stream status (for stream.online / stream.offline). */
export function toStreamStatus(event: KickLivestreamStatus, ctx: NormalizeContext): StreamStatus {
  const startedAt = parseTime(event.started_at, Number.NaN);
  return {
    creatorId: ctx.creatorId,
    platform: 'kick',
    channel: ctx.channel,
    at: ctx.receivedAt,
    ...(typeof event.title === 'string' && event.title !== '' ? { title: event.title } : {}),
    ...(Number.isFinite(startedAt) ? { startedAt, streamId: `${event.broadcaster.user_id}:${event.started_at}` } : {}),
  };
}
