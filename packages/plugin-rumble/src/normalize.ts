import type { ChatAuthor, ChatMessage, ChatNotice, ChatRole } from '@streamsuites/kernel';
import type { ApiFollower, ApiSubscriber } from './api/types.js';
import type { RumbleChatEntry } from './types.js';

export interface NormalizeContext {
  creatorId: string;
  /** The channel events carry. */
  channel: string;
  /** The streamer's own login (lowercase), for the broadcaster role. */
  ownerLogin?: string;
  receivedAt: number;
}

/** Rumble badge names (API names, or the page's badge titles lowercased) that mean a chat role. */
const BADGE_ROLES: Readonly<Record<string, ChatRole>> = {
  moderator: 'moderator',
  mod: 'moderator',
  broadcaster: 'broadcaster',
  streamer: 'broadcaster',
  locals: 'subscriber',
  'locals-supporter': 'subscriber',
  'recurring-subscription': 'subscriber',
  sub: 'subscriber',
  subscriber: 'subscriber',
};

const ROLE_ORDER: readonly ChatRole[] = ['broadcaster', 'moderator', 'vip', 'subscriber', 'member'];

/** `Rumble Premium User` / `whale_blue` → `rumble-premium-user` / `whale-blue`. */
export function badgeName(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

function author(username: string, badgeList: readonly string[], ctx: NormalizeContext): ChatAuthor {
  const login = username.toLowerCase();
  const roles = new Set<ChatRole>();
  const badges: Record<string, string> = {};
  for (const raw of badgeList) {
    const name = badgeName(raw);
    if (name === '') continue;
    badges[name] = '1';
    const role = BADGE_ROLES[name];
    if (role !== undefined) roles.add(role);
  }
  if (ctx.ownerLogin !== undefined && login === ctx.ownerLogin) roles.add('broadcaster');
  return {
    // Rumble shows no user ids to the API; the login is unique and what the platform links to (/user/<name>).
    id: login,
    login,
    displayName: username,
    roles: ROLE_ORDER.filter((role) => roles.has(role)),
    ...(Object.keys(badges).length === 0 ? {} : { badges }),
  };
}

/** A chat line or rant from either source as the kernel's chat message. */
export function toChatMessage(entry: RumbleChatEntry, id: string, ctx: NormalizeContext): ChatMessage {
  const message: ChatMessage = {
    id,
    platform: 'rumble',
    creatorId: ctx.creatorId,
    channel: ctx.channel,
    receivedAt: ctx.receivedAt,
    sentAt: entry.createdAt ?? ctx.receivedAt,
    author: author(entry.username, entry.badges, ctx),
    text: entry.text,
    isAction: false,
  };
  if (entry.rant !== undefined) {
    message.monetary = {
      kind: 'rant',
      amountMicros: entry.rant.amountCents * 10_000,
      currency: 'USD',
      display: formatDollars(entry.rant.amountCents),
    };
  }
  return message;
}

/** `$2`, `$1.50`. */
export function formatDollars(cents: number): string {
  return cents % 100 === 0 ? `$${cents / 100}` : `$${(cents / 100).toFixed(2)}`;
}

/** The fields every Rumble notice shares. */
function notice(kind: string, username: string, badges: readonly string[], ctx: NormalizeContext, id: string): ChatNotice {
  return { id, platform: 'rumble', creatorId: ctx.creatorId, channel: ctx.channel, receivedAt: ctx.receivedAt, kind, author: author(username, badges, ctx) };
}

export function followerNotice(follower: ApiFollower, id: string, ctx: NormalizeContext, total?: number): ChatNotice {
  return {
    ...notice('follow', follower.username, [], ctx, id),
    text: `${follower.username} followed`,
    data: { followedAt: follower.at, ...(total === undefined ? {} : { totalFollowers: total }) },
  };
}

export function subscriberNotice(subscriber: ApiSubscriber, id: string, ctx: NormalizeContext): ChatNotice {
  return {
    ...notice('sub', subscriber.username, ['sub'], ctx, id),
    text: `${subscriber.username} subscribed`,
    monetary: { kind: 'subscription', amountMicros: subscriber.amountCents * 10_000, currency: 'USD', display: formatDollars(subscriber.amountCents) },
    data: { subscribedAt: subscriber.at },
  };
}
