import type { ChatEmote, ChatMessage } from '@streamsuites/kernel';
import { toAuthor, type NormalizeContext } from '../normalize.js';
import type { SocketChatMessage } from './types.js';

/** `[emote:<id>:<name>]` tokens of content as code-point ranges (the socket sends no positions). */
export function emotesInContent(content: string): ChatEmote[] {
  const out: ChatEmote[] = [];
  const codePoints = [...content];
  const text = codePoints.join('');
  const pattern = /\[emote:(\d+):([^\]]*)\]/gu;
  for (const match of text.matchAll(pattern)) {
    const start = [...text.slice(0, match.index)].length;
    out.push({ id: match[1]!, ...(match[2] === '' ? {} : { name: match[2]! }), start, end: start + [...match[0]].length });
  }
  return out;
}

/**
 * A socket `ChatMessageEvent` as the kernel's chat message, the same shape
 * the webhook path gives (ids are Kick's message UUIDs on both, so the two
 * dedupe against each other).
 */
export function socketToChatMessage(event: SocketChatMessage, broadcasterUserId: number, ctx: NormalizeContext): ChatMessage {
  if (typeof event.id !== 'string' || event.id === '') throw new Error('id is missing');
  if (typeof event.content !== 'string') throw new Error('content is missing');
  const sender = event.sender;
  if (sender == null) throw new Error('sender is missing');
  const author = toAuthor(
    { user_id: sender.id, username: sender.username, channel_slug: sender.slug, identity: { ...(sender.identity?.color === undefined ? {} : { username_color: sender.identity.color }), badges: sender.identity?.badges ?? [] } },
    { user_id: broadcasterUserId, username: null, channel_slug: null },
  );
  const sentAt = event.created_at === undefined ? Number.NaN : Date.parse(event.created_at);
  const message: ChatMessage = {
    id: event.id,
    platform: 'kick',
    creatorId: ctx.creatorId,
    channel: ctx.channel,
    receivedAt: ctx.receivedAt,
    sentAt: Number.isFinite(sentAt) ? sentAt : ctx.receivedAt,
    author,
    text: event.content,
    isAction: false,
  };
  const emotes = emotesInContent(event.content);
  if (emotes.length > 0) message.emotes = emotes;
  const original = event.metadata?.original_message;
  if (original != null && typeof original.id === 'string') {
    message.reply = { messageId: original.id, authorLogin: (event.metadata?.original_sender?.username ?? '').toLowerCase(), text: original.content };
  }
  return message;
}
