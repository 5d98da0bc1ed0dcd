import type { ChatEmote, ChatMessage, ChatMonetary, ChatNotice } from '@streamsuites/kernel';
import type { IrcMessage } from '../irc/message.external.js';
import { parseEmotes } from './emotes.js';
import { authorOf, channelOf, parseIntTag, stableHash, unwrapAction, wellFormed } from './tags.js';
import type { NormalizeContext, NormalizedLine } from './types.js';

const PLATFORM = 'twitch';

function bitsOf(value: string | undefined): ChatMonetary | undefined {
  const bits = parseIntTag(value);
  if (bits === undefined || bits <= 0) return undefined;
  return { kind: 'bits', amountMicros: bits * 1_000_000, currency: 'BITS' };
}

/** PRIVMSG → `chat.message`. */
export function normalizePrivmsg(msg: IrcMessage, ctx: NormalizeContext): NormalizedLine {
  const channel = channelOf(msg.params[0]);
  if (channel === undefined) return { kind: 'ignored', reason: 'PRIVMSG without a channel', command: msg.command };
  const raw = msg.trailing ?? msg.params[1];
  if (raw === undefined) return { kind: 'ignored', reason: 'PRIVMSG without text', command: msg.command };
  const tags = msg.tags;
  const login = msg.prefix?.nick ?? tags.login;
  if (login === undefined || login.length === 0) return { kind: 'ignored', reason: 'PRIVMSG without a sender nick', command: msg.command };

  const { text: unwrapped, isAction } = unwrapAction(raw);
  const text = wellFormed(unwrapped);
  const sentTs = parseIntTag(tags['tmi-sent-ts']);
  const message: ChatMessage = {
    // Old tag sets have no id: a stable hash of what identifies the message.
    id: tags.id || `h:${stableHash(`${tags['room-id'] ?? channel}\u0000${tags['tmi-sent-ts'] ?? ''}\u0000${login}\u0000${raw}`)}`,
    platform: PLATFORM,
    creatorId: ctx.creatorId,
    channel,
    receivedAt: ctx.receivedAt,
    sentAt: sentTs ?? ctx.receivedAt,
    author: authorOf(tags, login),
    text,
    isAction,
  };
  const firstMsg = tags['first-msg'];
  if (firstMsg !== undefined) message.firstMessage = firstMsg === '1';
  const parentId = tags['reply-parent-msg-id'];
  if (parentId !== undefined && parentId.length > 0) {
    message.reply = { messageId: parentId, authorLogin: tags['reply-parent-user-login'] ?? '' };
    const body = tags['reply-parent-msg-body'];
    if (body !== undefined) message.reply.text = wellFormed(body);
  }
  const emotes = parseEmotes(tags.emotes, text);
  if (emotes !== undefined) message.emotes = emotes;
  const monetary = bitsOf(tags.bits);
  if (monetary !== undefined) message.monetary = monetary;
  return { kind: 'message', message };
}

/**
 * msg-param-* values that are numbers by definition (counts, months,
 * amounts), after Twitch's USERNOTICE tag reference. Only these become
 * numbers: every other value (names, logins, ids, plans, `007` as a display
 * name) stays the string Twitch sent.
 */
const NUMERIC_PARAMS = new Set([
  'cumulative-months', 'months', 'streak-months', 'multimonth-duration', 'gift-months', 'gift-month-being-redeemed',
  'mass-gift-count', 'sender-count', 'viewerCount', 'promo-gift-total', 'selected-count', 'total-reward-count',
  'trigger-amount', 'threshold', 'value', 'copoReward', 'amount', 'exponent', 'donation-amount', 'charity-amount',
  'charity-exponent', 'charity-hours-remaining', 'goal-current-contributions', 'goal-target-contributions',
  'goal-user-contributions',
]);
// msg-param-* flags sent as 0/1 / true/false.
const BOOLEAN_PARAMS = new Set(['should-share-streak', 'was-gifted', 'anon-gift', 'prior-gifter-anonymous', 'multimonth-tenure']);

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * USERNOTICE → `chat.notice`. `kind` is the `msg-id` as sent (`sub`, `resub`,
 * `subgift`, `raid`, `announcement` ...; unknown ids pass through), `data`
 * holds the `msg-param-*` tags in camelCase (the params that are counts or
 * amounts as numbers, 0/1 flags as booleans, everything else — names,
 * logins, ids, sub plans — as the string sent) plus `systemMsg`. The user's
 * text (resub message, announcement...) gets its `emotes` like a PRIVMSG.
 */
export function normalizeUsernotice(msg: IrcMessage, ctx: NormalizeContext): NormalizedLine {
  const channel = channelOf(msg.params[0]);
  if (channel === undefined) return { kind: 'ignored', reason: 'USERNOTICE without a channel', command: msg.command };
  const tags = msg.tags;
  const kind = tags['msg-id'] || 'unknown';
  const data: Record<string, string | number | boolean | null> = {};
  for (const key in tags) {
    if (!key.startsWith('msg-param-')) continue;
    const name = key.slice(10);
    if (name.length === 0) continue;
    const value = tags[key]!;
    let parsed: string | number | boolean = value;
    if (BOOLEAN_PARAMS.has(name)) parsed = value === '1' || value === 'true';
    else if (NUMERIC_PARAMS.has(name)) parsed = parseIntTag(value) ?? value;
    const k = camel(name);
    if (k !== '__proto__') data[k] = parsed;
  }
  const systemMsg = tags['system-msg'];
  if (systemMsg !== undefined) data.systemMsg = wellFormed(systemMsg);
  const notice: ChatNotice = {
    id: tags.id || `h:${stableHash(`${tags['room-id'] ?? channel}\u0000${tags['tmi-sent-ts'] ?? ''}\u0000${kind}\u0000${tags.login ?? ''}\u0000${msg.trailing ?? ''}`)}`,
    platform: PLATFORM,
    creatorId: ctx.creatorId,
    channel,
    receivedAt: ctx.receivedAt,
    kind,
    data,
  };
  const login = tags.login || msg.prefix?.nick;
  if (login !== undefined && login.length > 0 && login.indexOf('.') === -1) notice.author = authorOf(tags, login);
  if (msg.trailing !== undefined && msg.trailing.length > 0) {
    // USERNOTICE keeps a `/me` wrapper as sent (twitchdev/issues#175); unwrap it like PRIVMSG.
    const { text: unwrapped, isAction } = unwrapAction(msg.trailing);
    const text = wellFormed(unwrapped);
    notice.text = text;
    if (isAction) data.isAction = true;
    const emotes = noticeEmotes(tags.emotes, text, isAction);
    if (emotes !== undefined) notice.emotes = emotes;
  }
  const sentTs = parseIntTag(tags['tmi-sent-ts']);
  if (sentTs !== undefined) data.sentAt = sentTs;
  return { kind: 'notice', notice };
}

const ACTION_WORD = 'ACTION ';

/**
 * Emotes of a USERNOTICE's text. For a `/me` text Twitch counts the ranges
 * from after the leading `\u0001` (`ACTION Kappa` → Kappa at 7-11,
 * usernotice.irc:21), not from the unwrapped text as for PRIVMSG: when the
 * ranges do not fit the unwrapped text, they are read against `ACTION <text>`
 * and moved back.
 */
function noticeEmotes(tag: string | undefined, text: string, isAction: boolean): ChatEmote[] | undefined {
  const direct = parseEmotes(tag, text);
  if (!isAction || tag === undefined) return direct;
  const shifted = parseEmotes(tag, ACTION_WORD + text)
    ?.filter((e) => e.start >= ACTION_WORD.length)
    .map((e) => ({ ...e, start: e.start - ACTION_WORD.length, end: e.end - ACTION_WORD.length }));
  if (shifted === undefined || shifted.length === 0) return direct;
  return direct === undefined || shifted.length > direct.length ? shifted : direct;
}
