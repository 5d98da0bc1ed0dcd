/**
 * Kick's documented webhook payload examples (fixtures/kick-dev-docs, see
 * fixtures/SOURCES.md), bundled into the fake so it sends the real shapes,
 * and builders that put a test's channel, ids and text into copies of them.
 */
import chatMessageSent from '../../fixtures/kick-dev-docs/chat.message.sent.json' with { type: 'json' };
import channelFollowed from '../../fixtures/kick-dev-docs/channel.followed.json' with { type: 'json' };
import subscriptionNew from '../../fixtures/kick-dev-docs/channel.subscription.new.json' with { type: 'json' };
import subscriptionRenewal from '../../fixtures/kick-dev-docs/channel.subscription.renewal.json' with { type: 'json' };
import subscriptionGifts from '../../fixtures/kick-dev-docs/channel.subscription.gifts.json' with { type: 'json' };
import streamStarted from '../../fixtures/kick-dev-docs/livestream.status.updated.started.json' with { type: 'json' };
import streamEnded from '../../fixtures/kick-dev-docs/livestream.status.updated.ended.json' with { type: 'json' };

/** The documented example of each event (deep copies; change them freely). */
export const KICK_DOC_PAYLOADS = {
  'chat.message.sent': () => structuredClone(chatMessageSent),
  'channel.followed': () => structuredClone(channelFollowed),
  'channel.subscription.new': () => structuredClone(subscriptionNew),
  'channel.subscription.renewal': () => structuredClone(subscriptionRenewal),
  'channel.subscription.gifts': () => structuredClone(subscriptionGifts),
  'livestream.status.updated.started': () => structuredClone(streamStarted),
  'livestream.status.updated.ended': () => structuredClone(streamEnded),
};

/** The channel a payload is about (its `broadcaster`). */
export interface FakeKickBroadcaster {
  broadcasterUserId: number;
  slug: string;
  username?: string;
}

function withBroadcaster<T extends { broadcaster: Record<string, unknown> }>(payload: T, channel: FakeKickBroadcaster): T {
  payload.broadcaster.user_id = channel.broadcasterUserId;
  payload.broadcaster.channel_slug = channel.slug;
  payload.broadcaster.username = channel.username ?? channel.slug;
  return payload;
}

export interface ChatPayloadOptions {
  messageId: string;
  text?: string;
  /** The sender (default: the documented example's `sender_name`, a moderator and subscriber). */
  sender?: { userId: number; username: string; badges?: { text: string; type: string; count?: number }[] };
  /** Keep the documented emotes and content (default when no text is given). */
  replyTo?: { messageId: string; content: string; username: string; userId: number };
}

/** A `chat.message.sent` body for `channel`: the documented example with this id, text and sender. */
export function chatMessagePayload(channel: FakeKickBroadcaster, options: ChatPayloadOptions): Record<string, unknown> {
  const payload = withBroadcaster(KICK_DOC_PAYLOADS['chat.message.sent'](), channel) as Record<string, any>;
  payload.message_id = options.messageId;
  payload.created_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (options.text !== undefined) {
    payload.content = options.text;
    payload.emotes = [];
  }
  if (options.sender !== undefined) {
    payload.sender.user_id = options.sender.userId;
    payload.sender.username = options.sender.username;
    payload.sender.channel_slug = options.sender.username.toLowerCase();
    if (options.sender.badges !== undefined) payload.sender.identity.badges = options.sender.badges;
  }
  if (options.replyTo === undefined) delete payload.replies_to;
  else {
    payload.replies_to.message_id = options.replyTo.messageId;
    payload.replies_to.content = options.replyTo.content;
    payload.replies_to.sender.username = options.replyTo.username;
    payload.replies_to.sender.user_id = options.replyTo.userId;
  }
  return payload;
}

/** A `livestream.status.updated` body for `channel` (the documented started / ended example). */
export function livestreamPayload(channel: FakeKickBroadcaster, live: boolean, title?: string): Record<string, unknown> {
  const payload = withBroadcaster(KICK_DOC_PAYLOADS[live ? 'livestream.status.updated.started' : 'livestream.status.updated.ended'](), channel) as Record<string, any>;
  if (title !== undefined) payload.title = title;
  return payload;
}

/** A follow / sub / gift body for `channel` (the documented example). */
export function channelEventPayload(
  channel: FakeKickBroadcaster,
  event: 'channel.followed' | 'channel.subscription.new' | 'channel.subscription.renewal' | 'channel.subscription.gifts',
): Record<string, unknown> {
  return withBroadcaster(KICK_DOC_PAYLOADS[event](), channel);
}
