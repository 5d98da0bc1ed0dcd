/**
 * @streamsuites/plugin-kick — Kick's public API: chat, follows, subs and
 * live status from signed webhooks (verified, exactly once), replies and
 * deletions through /public/v1/chat, and the live stream for clips.
 */
import './events.js';
import { kickPlugin } from './plugin.js';

export default kickPlugin;
export { kickPlugin, kickChatLimitKey } from './plugin.js';
export { KICK_EVENTS, configSchema, creatorConfigSchema } from './config.js';
export type { KickConfig, KickCreatorConfig, KickEventName } from './config.js';
export type { KickWebhookEvent } from './events.js';
export { KickApi } from './api/client.js';
export type { KickApiOptions } from './api/client.js';
export { TokenSource, appTokenSource, requestToken, userTokenSource } from './api/tokens.js';
export type { OAuthClient } from './api/tokens.js';
export type * from './api/types.js';
export { WebhookServer } from './webhook/server.js';
export type { KickDelivery, WebhookServerOptions } from './webhook/server.js';
export { SeenMessageIds, SEEN_NAMESPACE } from './webhook/seen.js';
export { parsePublicKey, signedPayload, verifyKickSignature } from './webhook/verify.js';
export { followNotice, giftsNotice, subscriptionNotice, toAuthor, toChatMessage, toEmotes, toStreamStatus } from './normalize.js';
export type { NormalizeContext } from './normalize.js';
export { KickStreamSource, kickPageUrl } from './stream-source.js';
export * from './errors.js';
export { KICK_PUSHER_URL } from './config.js';
export { PusherChat } from './socket/pusher-chat.js';
export type { PusherChatOptions } from './socket/pusher-chat.js';
export { emotesInContent, socketToChatMessage } from './socket/normalize.js';
export { CHAT_MESSAGE_EVENT, chatroomChannel } from './socket/types.js';
export type { PusherFrame, SocketChatMessage } from './socket/types.js';
